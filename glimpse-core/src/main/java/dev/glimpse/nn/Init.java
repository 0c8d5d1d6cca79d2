package dev.glimpse.nn;

import java.util.SplittableRandom;

/** How a parameter starts. Values are drawn in Java from a per-parameter seed, so they do not depend
 * on the order parameters are created in nor on the tensor library's random generator. */
public sealed interface Init {
  float[] sample(long size, SplittableRandom random);

  static Init normal(double std) {
    return new Normal(0, std);
  }

  static Init normal(double mean, double std) {
    return new Normal(mean, std);
  }

  static Init zeros() {
    return new Constant(0);
  }

  static Init ones() {
    return new Constant(1);
  }

  static Init constant(double value) {
    return new Constant(value);
  }

  /** Normal truncated at two standard deviations (redrawn), as in ViT and GPT-2 style inits. */
  static Init truncatedNormal(double std) {
    return new TruncatedNormal(std);
  }

  /**
   * A position table initialised with 2D sine-cosine embeddings (as MAE's fixed ones) for a
   * {@code gridH x gridW} patch grid, after {@code prefixRows} zero rows (CLS). Still learned: the
   * strong, smooth start lets small models pick up spatial layout early instead of after a long
   * plateau.
   */
  static Init sinCos2d(int gridH, int gridW, int dim, int prefixRows) {
    return new SinCos2d(gridH, gridW, dim, prefixRows);
  }

  /**
   * A table of {@code positions} rows initialised with 1D sine-cosine embeddings of base {@code base}
   * (half sines, half cosines): for video frames, so that frame order is told apart from the first
   * step (a small random start leaves "which frame came first" to be discovered late). Still learned.
   */
  static Init sinCos1d(int positions, int dim, double base) {
    return new SinCos1d(positions, dim, base);
  }

  /**
   * The identity matrix of side {@code n} (a linear head that starts as a no-op, as MM-GEM's h4), for a
   * weight of shape [n, n].
   */
  static Init identity(int n) {
    return new Identity(n);
  }

  record Identity(int n) implements Init {
    @Override
    public float[] sample(long size, SplittableRandom random) {
      if (size != (long) n * n) {
        throw new IllegalArgumentException("an identity init needs an " + n + "x" + n + " weight, got " + size
            + " values");
      }
      float[] values = new float[Math.toIntExact(size)];
      for (int i = 0; i < n; i++) {
        values[i * n + i] = 1;
      }
      return values;
    }
  }

  record SinCos1d(int positions, int dim, double base) implements Init {
    @Override
    public float[] sample(long size, SplittableRandom random) {
      if (size != (long) positions * dim || dim % 2 != 0) {
        throw new IllegalArgumentException("sin-cos table needs positions x dim values and an even dim");
      }
      float[] values = new float[Math.toIntExact(size)];
      int half = dim / 2;
      for (int p = 0; p < positions; p++) {
        for (int i = 0; i < half; i++) {
          double omega = 1.0 / Math.pow(base, (double) i / half);
          values[p * dim + i] = (float) Math.sin(p * omega);
          values[p * dim + half + i] = (float) Math.cos(p * omega);
        }
      }
      return values;
    }
  }

  record SinCos2d(int gridH, int gridW, int dim, int prefixRows) implements Init {
    @Override
    public float[] sample(long size, SplittableRandom random) {
      if (size != (long) (prefixRows + gridH * gridW) * dim || dim % 4 != 0) {
        throw new IllegalArgumentException("sin-cos table needs (prefix + grid) x dim values and dim % 4 == 0");
      }
      float[] values = new float[Math.toIntExact(size)];
      int quarter = dim / 4;
      for (int y = 0; y < gridH; y++) {
        for (int x = 0; x < gridW; x++) {
          int row = (prefixRows + y * gridW + x) * dim;
          for (int i = 0; i < quarter; i++) {
            double omega = 1.0 / Math.pow(10000, (double) i / quarter);
            values[row + i] = (float) Math.sin(y * omega);
            values[row + quarter + i] = (float) Math.cos(y * omega);
            values[row + 2 * quarter + i] = (float) Math.sin(x * omega);
            values[row + 3 * quarter + i] = (float) Math.cos(x * omega);
          }
        }
      }
      return values;
    }
  }

  record Normal(double mean, double std) implements Init {
    @Override
    public float[] sample(long size, SplittableRandom random) {
      float[] values = new float[Math.toIntExact(size)];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (mean + std * random.nextGaussian());
      }
      return values;
    }
  }

  record TruncatedNormal(double std) implements Init {
    @Override
    public float[] sample(long size, SplittableRandom random) {
      float[] values = new float[Math.toIntExact(size)];
      for (int i = 0; i < values.length; i++) {
        double g;
        do {
          g = random.nextGaussian();
        } while (Math.abs(g) > 2);
        values[i] = (float) (std * g);
      }
      return values;
    }
  }

  record Constant(double value) implements Init {
    @Override
    public float[] sample(long size, SplittableRandom random) {
      float[] values = new float[Math.toIntExact(size)];
      java.util.Arrays.fill(values, (float) value);
      return values;
    }
  }
}
