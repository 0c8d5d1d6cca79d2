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
    return layers.length == 0 || layers[0].keys == null ? 0 : layers[0].keys.getShape().get(2);
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

  /** One layer's cache; keys/values are [B, H_kv, S, head_dim]. */
  public static final class Layer implements AutoCloseable {
    private NDArray keys;
    private NDArray values;

    /** Appends new positions and returns the full keys and values. */
    public NDArray[] append(NDArray newKeys, NDArray newValues) {
      if (keys == null) {
        replace(newKeys, newValues);
      } else {
        replace(keys.concat(newKeys, 2), values.concat(newValues, 2));
      }
      return new NDArray[] {keys, values};
    }

    public NDArray keys() {
      return keys;
    }

    public NDArray values() {
      return values;
    }

    void select(NDArray batchIndices) {
      if (keys != null) {
        replace(keys.get(batchIndices), values.get(batchIndices));
      }
    }

    void pad(long count) {
      if (keys == null) {
        return;
      }
      Shape s = keys.getShape();
      NDArray zeros = keys.getManager().zeros(new Shape(s.get(0), s.get(1), count, s.get(3)), keys.getDataType());
      replace(keys.concat(zeros, 2), values.concat(zeros, 2));
      zeros.close();
    }

    void appendRows(Layer other) {
      if (other.keys == null) {
        return;
      }
      if (keys == null) {
        replace(other.keys, other.values);
        other.keys = null; // now this layer's
        other.values = null;
      } else {
        replace(keys.concat(other.keys, 0), values.concat(other.values, 0));
        other.close();
      }
    }

    void keepPositions(long[] ranges) {
      if (keys == null) {
        return;
      }
      NDList k = new NDList();
      NDList v = new NDList();
      for (int i = 0; i < ranges.length; i += 2) {
        k.add(keys.get(new NDIndex(":, :, {}:{}", ranges[i], ranges[i + 1])));
        v.add(values.get(new NDIndex(":, :, {}:{}", ranges[i], ranges[i + 1])));
      }
      NDArray newKeys = k.size() == 1 ? k.get(0) : NDArrays.concat(k, 2);
      NDArray newValues = v.size() == 1 ? v.get(0) : NDArrays.concat(v, 2);
      if (k.size() > 1) {
        k.close();
        v.close();
      }
      replace(newKeys, newValues);
    }

    private void replace(NDArray newKeys, NDArray newValues) {
      NDScope.unregister(newKeys, newValues);
      close();
      keys = newKeys;
      values = newValues;
    }

    @Override
    public void close() {
      if (keys != null) {
        keys.close();
        values.close();
        keys = null;
        values = null;
      }
    }
  }
}
