package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Rotary position embedding in the "rotate half" layout (LLaMA in HuggingFace): the head dimension is
 * split in halves (x1, x2) and rotated as (x1 cos - x2 sin, x2 cos + x1 sin) with frequencies
 * theta^(-2i/d).
 */
public final class RotaryEmbedding {
  private final int headDim;
  private final float[] inverseFrequencies;

  public RotaryEmbedding(int headDim, double theta) {
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException("rotary embedding needs an even head dimension, got " + headDim);
    }
    this.headDim = headDim;
    inverseFrequencies = new float[headDim / 2];
    for (int i = 0; i < headDim / 2; i++) {
      // float32 like HF: 1 / theta^(2i/d)
      inverseFrequencies[i] = (float) (1.0 / Math.pow(theta, (float) (2 * i) / headDim));
    }
  }

  /** cos and sin tables for positions [B, T] (int64): each [B, 1, T, head_dim]. */
  public NDArray[] tables(NDArray positions) {
    NDManager manager = positions.getManager();
    long[] pos = positions.toLongArray();
    long b = positions.getShape().get(0);
    long t = positions.getShape().get(1);
    float[] cos = new float[(int) (b * t * headDim)];
    float[] sin = new float[cos.length];
    int half = headDim / 2;
    for (int row = 0; row < b * t; row++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) pos[row] * inverseFrequencies[i];
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        cos[row * headDim + i] = c;
        cos[row * headDim + half + i] = c;
        sin[row * headDim + i] = s;
        sin[row * headDim + half + i] = s;
      }
    }
    ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(b, 1, t, headDim);
    return new NDArray[] {manager.create(cos, shape), manager.create(sin, shape)};
  }

  /** x: [B, H, T, head_dim] rotated by the tables from {@link #tables}. */
  public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    long half = x.getShape().get(3) / 2;
    NDArray x1 = x.get("..., :" + half);
    NDArray x2 = x.get("..., " + half + ":");
    NDArray rotated = x2.neg().concat(x1, 3);
    return x.mul(cos).add(rotated.mul(sin));
  }
}
