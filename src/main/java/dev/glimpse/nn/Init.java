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
