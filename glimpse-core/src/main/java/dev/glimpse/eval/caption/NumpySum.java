package dev.glimpse.eval.caption;

/**
 * numpy's pairwise summation ({@code np.sum} / {@code np.mean} of a float64 array), so that corpus
 * means are bit-identical to the toolkit's, not just close.
 */
final class NumpySum {
  private static final int BLOCK = 128; // PW_BLOCKSIZE in numpy's loops_utils.h

  private NumpySum() {}

  /** {@code np.mean(values)}; NaN for an empty array, as numpy. */
  static double mean(double[] values) {
    return sum(values, 0, values.length) / values.length;
  }

  static double sum(double[] a, int from, int n) {
    if (n < 8) {
      double result = 0.0;
      for (int i = 0; i < n; i++) {
        result += a[from + i];
      }
      return result;
    }
    if (n <= BLOCK) {
      double[] r = new double[8];
      System.arraycopy(a, from, r, 0, 8);
      int i = 8;
      for (; i < n - (n % 8); i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      double result = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        result += a[from + i];
      }
      return result;
    }
    int half = n / 2;
    half -= half % 8;
    return sum(a, from, half) + sum(a, from + half, n - half);
  }
}
