package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every attention layer for the tokens decoded so far, so that each decoding
 * step runs only the new token. The cache owns its arrays: they survive the per-step NDScope and
 * are closed when replaced or when the cache is closed.
 */
public final class KvCache implements AutoCloseable {
  private final Layer[] layers;

  public KvCache(int numLayers) {
    layers = new Layer[numLayers];
    for (int i = 0; i < numLayers; i++) {
      layers[i] = new Layer();
    }
  }

  public Layer layer(int i) {
    return layers[i];
  }

  public int numLayers() {
    return layers.length;
  }

  /** Number of cached positions (0 when empty). */
  public long length() {
    return layers.length == 0 ? 0 : layers[0].length();
  }

  /** Keeps rows {@code batchIndices} (int64 [B']) of every layer: beam reordering and expansion. */
  public void select(NDArray batchIndices) {
    for (Layer layer : layers) {
      layer.select(batchIndices);
    }
  }

  /**
   * Appends {@code count} empty positions (zero keys and values) after the cached ones in every row:
   * room that attention must mask out, so that rows of different lengths can share one cache.
   */
  public void pad(long count) {
    if (count <= 0) {
      return;
    }
    for (Layer layer : layers) {
      layer.pad(count);
    }
  }

  /**
   * Appends the rows of {@code other} below this cache's rows (continuous batching: a newly prefilled
   * request joins the running batch). Both caches must hold the same number of positions (see
   * {@link #pad}). {@code other} is emptied.
   */
  public void appendRows(KvCache other) {
    if (other.layers.length != layers.length) {
      throw new IllegalArgumentException("caches of " + layers.length + " and " + other.layers.length + " layers");
    }
    if (other.length() != length()) {
      throw new IllegalArgumentException("caches of " + length() + " and " + other.length()
          + " positions cannot share rows (pad the shorter one)");
    }
    for (int i = 0; i < layers.length; i++) {
      layers[i].appendRows(other.layers[i]);
    }
  }

  /**
   * Keeps only the positions in the half-open ranges {@code [ranges[2k], ranges[2k+1])}, in order:
   * drops positions no row attends to any more.
   */
  public void keepPositions(long[] ranges) {
    for (Layer layer : layers) {
      layer.keepPositions(ranges);
    }
  }

  @Override
  public void close() {
    for (Layer layer : layers) {
      layer.close();
    }
  }

  /**
   * One layer's cache: keys and values [B, H_kv, S, head_dim] for the S positions cached so far, held
   * in buffers with room for more positions, so that a decoding step writes its new keys in place
   * rather than copying the whole cache (as a concatenation would, every step: quadratic copying over a
   * generation, and an allocator handed ever larger blocks). When the room runs out the buffers grow
   * by half. {@link #keys()} and {@link #values()} are views of the first S positions.
   */
  public static final class Layer implements AutoCloseable {
    private static final long MIN_ROOM = 16;
    private NDArray keyBuffer;   // [B, H_kv, capacity, hd]
    private NDArray valueBuffer; // [B, H_kv, capacity, hd]
    private long length;
    private NDArray keyView;     // [B, H_kv, length, hd], views of the buffers, owned by the cache
    private NDArray valueView;

    /** Appends new positions [B, H_kv, T, hd] and returns views of all cached keys and values. */
    public NDArray[] append(NDArray newKeys, NDArray newValues) {
      long added = newKeys.getShape().get(2);
      ensureRoom(newKeys, length + added);
      String slice = ":, :, " + length + ":" + (length + added);
      keyBuffer.set(new NDIndex(slice), newKeys);
      valueBuffer.set(new NDIndex(slice), newValues);
      setLength(length + added);
      return new NDArray[] {keyView, valueView};
    }

    /** The cached keys [B, H_kv, S, hd] (a view owned by the cache), or null when empty. */
    public NDArray keys() {
      return keyView;
    }

    /** The cached values [B, H_kv, S, hd] (a view owned by the cache), or null when empty. */
    public NDArray values() {
      return valueView;
    }

    // The views follow the number of cached positions; the previous ones are released.
    private void setLength(long newLength) {
      length = newLength;
      closeViews();
      if (keyBuffer != null) {
        keyView = keyBuffer.get(new NDIndex(":, :, :{}", length));
        valueView = valueBuffer.get(new NDIndex(":, :, :{}", length));
        NDScope.unregister(keyView, valueView);
      }
    }

    private void closeViews() {
      if (keyView != null) {
        keyView.close();
        valueView.close();
        keyView = null;
        valueView = null;
      }
    }

    long length() {
      return keyBuffer == null ? 0 : length;
    }

    // Buffers shaped like `like` along batch, heads and head_dim with room for `needed` positions;
    // the cached positions are kept.
    private void ensureRoom(NDArray like, long needed) {
      long capacity = keyBuffer == null ? 0 : keyBuffer.getShape().get(2);
      if (needed <= capacity) {
        return;
      }
      long room = Math.max(needed, Math.max(MIN_ROOM, capacity + capacity / 2));
      Shape s = like.getShape();
      Shape shape = new Shape(s.get(0), s.get(1), room, s.get(3));
      NDArray keys = like.getManager().zeros(shape, like.getDataType());
      NDArray values = like.getManager().zeros(shape, like.getDataType());
      if (length > 0) {
        String cached = ":, :, :" + length;
        keys.set(new NDIndex(cached), keyBuffer.get(new NDIndex(cached)));
        values.set(new NDIndex(cached), valueBuffer.get(new NDIndex(cached)));
      }
      replace(keys, values, length);
    }

    void select(NDArray batchIndices) {
      if (keyBuffer != null) {
        replace(keyBuffer.get(batchIndices), valueBuffer.get(batchIndices), length);
      }
    }

    // Zero keys and values for `count` more positions (attention masks them out).
    void pad(long count) {
      if (keyBuffer == null) {
        return;
      }
      ensureRoom(keyBuffer, length + count);
      String slice = ":, :, " + length + ":" + (length + count);
      keyBuffer.set(new NDIndex(slice), 0f);
      valueBuffer.set(new NDIndex(slice), 0f);
      setLength(length + count);
    }

    void appendRows(Layer other) {
      if (other.keyBuffer == null) {
        return;
      }
      if (keyBuffer == null) {
        NDArray keys = other.keyBuffer;
        NDArray values = other.valueBuffer;
        long otherLength = other.length;
        other.keyBuffer = null; // now this layer's
        other.valueBuffer = null;
        other.close();
        replace(keys, values, otherLength);
        return;
      }
      String cached = ":, :, :" + length;
      NDArray keys = keyBuffer.get(new NDIndex(cached)).concat(other.keyBuffer.get(new NDIndex(cached)), 0);
      NDArray values = valueBuffer.get(new NDIndex(cached)).concat(other.valueBuffer.get(new NDIndex(cached)), 0);
      other.close();
      replace(keys, values, length);
    }

    void keepPositions(long[] ranges) {
      if (keyBuffer == null) {
        return;
      }
      NDList k = new NDList();
      NDList v = new NDList();
      long kept = 0;
      for (int i = 0; i < ranges.length; i += 2) {
        k.add(keyBuffer.get(new NDIndex(":, :, {}:{}", ranges[i], ranges[i + 1])));
        v.add(valueBuffer.get(new NDIndex(":, :, {}:{}", ranges[i], ranges[i + 1])));
        kept += ranges[i + 1] - ranges[i];
      }
      NDArray newKeys = NDArrays.concat(k, 2);
      NDArray newValues = NDArrays.concat(v, 2);
      k.close();
      v.close();
      replace(newKeys, newValues, kept);
    }

    private void replace(NDArray newKeys, NDArray newValues, long newLength) {
      NDScope.unregister(newKeys, newValues);
      close();
      keyBuffer = newKeys;
      valueBuffer = newValues;
      setLength(newLength);
    }

    @Override
    public void close() {
      closeViews();
      if (keyBuffer != null) {
        keyBuffer.close();
        valueBuffer.close();
        keyBuffer = null;
        valueBuffer = null;
      }
      length = 0;
    }
  }
}
