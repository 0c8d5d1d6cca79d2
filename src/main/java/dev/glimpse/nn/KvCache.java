package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

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
