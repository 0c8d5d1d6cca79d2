package dev.glimpse.data;

import java.util.SplittableRandom;

/**
 * The k-th example of a run, for any k: a seeded permutation per epoch. A pure function of
 * (seed, k), so a resumed run continues with exactly the examples the uninterrupted run would see.
 */
public final class IndexSampler {
  private final int size;
  private final long seed;
  private int cachedEpoch = -1;
  private int[] permutation;

  public IndexSampler(int size, long seed) {
    if (size <= 0) {
      throw new IllegalArgumentException("dataset is empty");
    }
    this.size = size;
    this.seed = seed;
  }

  public synchronized int index(long k) {
    int epoch = (int) (k / size);
    if (epoch != cachedEpoch) {
      permutation = permutation(epoch);
      cachedEpoch = epoch;
    }
    return permutation[(int) (k % size)];
  }

  private int[] permutation(int epoch) {
    int[] p = new int[size];
    for (int i = 0; i < size; i++) {
      p[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed * 31 + epoch);
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
