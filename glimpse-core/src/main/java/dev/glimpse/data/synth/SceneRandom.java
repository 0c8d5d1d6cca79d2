package dev.glimpse.data.synth;

import java.util.List;

/**
 * A small, fully specified random generator (SplitMix64) so that scenes are the same on every JVM
 * and platform; {@link java.util.Random} would do too, but this one also gives the seed hashing.
 */
public final class SceneRandom {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private long state;

  public SceneRandom(long seed) {
    this.state = seed;
  }

  /** SplitMix64's finaliser: a bijective mix of 64 bits (Stafford variant 13). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /** Uniform in [0, 1). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [min, max). */
  public double uniform(double min, double max) {
    return min + (max - min) * nextDouble();
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    return (int) ((nextLong() >>> 33) % bound);
  }

  /** Uniform in [min, max] (both inclusive). */
  public int intBetween(int min, int max) {
    return min + nextInt(max - min + 1);
  }

  public boolean chance(double probability) {
    return nextDouble() < probability;
  }

  public <T> T pick(List<T> items) {
    return items.get(nextInt(items.size()));
  }

  /** An index drawn with probability proportional to {@code weights[i]}. */
  public int weighted(double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
