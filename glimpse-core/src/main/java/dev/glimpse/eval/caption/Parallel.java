package dev.glimpse.eval.caption;

import java.util.stream.IntStream;

/**
 * Splits {@code 0..n-1} into contiguous ranges run on the common fork-join pool. Results do not
 * depend on the split: each item is computed on its own and corpus sums are taken afterwards, in
 * order.
 */
final class Parallel {
  /** Work on items {@code from} (inclusive) to {@code to} (exclusive). */
  @FunctionalInterface
  interface Range {
    void run(int from, int to);
  }

  private Parallel() {}

  /** Ranges of at least {@code minItems} items (fewer parts when n is small), two per core. */
  static void ranges(int n, int minItems, Range range) {
    int threads = Runtime.getRuntime().availableProcessors();
    int parts = Math.max(1, Math.min(threads * 2, n / minItems));
    IntStream.range(0, parts)
        .parallel()
        .forEach(p -> range.run((int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts)));
  }
}
