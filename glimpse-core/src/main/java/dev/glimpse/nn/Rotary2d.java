package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Axial 2D rotary position embedding (as in Qwen2-VL's M-RoPE and FiT): of the head dimension's
 * rotated pairs, the first half turns with a token's row, the second half with its column, each axis
 * with frequencies theta^(-2j/(d/2)). The tables use the "rotate half" layout of
 * {@link RotaryEmbedding}, so {@link RotaryEmbedding#apply} rotates queries and keys.
 *
 * <p>Why 2D RoPE rather than interpolated learned 2D embeddings: a rotation only depends on the
 * difference of two positions, so any patch grid (wide, tall, larger or smaller than seen in
 * training) gets exactly defined positions with nothing to interpolate, and a packed row needs no
 * more than each token's (row, column) — sequences packed side by side cannot see each other's
 * offsets. A 1D text sequence is placed on the diagonal (row = column = start + index), so text-to-text
 * scores depend only on the 1D distance, as with ordinary RoPE.
 */
public final class Rotary2d {
  private final int headDim;
  private final float[] inverseFrequencies; // per axis: headDim / 4 frequencies

  public Rotary2d(int headDim, double theta) {
    if (headDim % 4 != 0) {
      throw new IllegalArgumentException("2D rotary embedding needs a head dimension divisible by 4, got " + headDim);
    }
    if (!(theta > 0)) {
      throw new IllegalArgumentException("theta must be > 0, got " + theta);
    }
    this.headDim = headDim;
    int perAxis = headDim / 4;
    inverseFrequencies = new float[perAxis];
    for (int j = 0; j < perAxis; j++) {
      inverseFrequencies[j] = (float) (1.0 / Math.pow(theta, (2.0 * j) / (headDim / 2.0)));
    }
  }

  /**
   * cos and sin tables for tokens at (rows, columns), row-major [b, t]: each [b, 1, t, headDim].
   */
  public NDArray[] tables(NDManager manager, long[] rows, long[] columns, long b, long t) {
    if (rows.length != b * t || columns.length != b * t) {
      throw new IllegalArgumentException("expected " + b * t + " positions, got " + rows.length + " and "
          + columns.length);
    }
    int half = headDim / 2;
    int perAxis = inverseFrequencies.length;
    float[] cos = new float[(int) (b * t * headDim)];
    float[] sin = new float[cos.length];
    for (int token = 0; token < b * t; token++) {
      for (int i = 0; i < half; i++) {
        long position = i < perAxis ? rows[token] : columns[token];
        float angle = (float) position * inverseFrequencies[i % perAxis];
        float c = (float) Math.cos(angle);
        float s = (float) Math.sin(angle);
        int base = token * headDim;
        cos[base + i] = c;
        cos[base + half + i] = c;
        sin[base + i] = s;
        sin[base + half + i] = s;
      }
    }
    Shape shape = new Shape(b, 1, t, headDim);
    return new NDArray[] {manager.create(cos, shape), manager.create(sin, shape)};
  }

  public int headDim() {
    return headDim;
  }
}
