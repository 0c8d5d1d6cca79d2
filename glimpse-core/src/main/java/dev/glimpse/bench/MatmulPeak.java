package dev.glimpse.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** The fp32 (or fp16) matrix-multiply throughput of this machine, measured now (median of runs). */
public final class MatmulPeak {
  private MatmulPeak() {}

  /** GFLOP/s of an n x n x n matmul in the given type, median of {@code repeats} after warm-up. */
  public static double gflops(NDManager parent, int n, int repeats, DataType type) {
    try (NDManager m = parent.newSubManager()) {
      NDArray a = m.randomNormal(new Shape(n, n)).toType(type, false);
      NDArray b = m.randomNormal(new Shape(n, n)).toType(type, false);
      for (int i = 0; i < 2; i++) {
        a.matMul(b).close();
      }
      double[] seconds = new double[repeats];
      for (int i = 0; i < repeats; i++) {
        long t0 = System.nanoTime();
        NDArray c = a.matMul(b);
        c.toType(DataType.FLOAT32, false).getFloat(0, 0); // force completion
        seconds[i] = (System.nanoTime() - t0) / 1e9;
        c.close();
      }
      Arrays.sort(seconds);
      return 2.0 * n * n * n / seconds[repeats / 2] / 1e9;
    }
  }
}
