package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** 2D rotary positions: scores depend only on relative (row, column) offsets; both axes matter. */
class Rotary2dTest {
  private static final int HEAD_DIM = 16;

  private static NDArray random(NDManager m, long seed, long... shape) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[(int) new Shape(shape).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return m.create(v, new Shape(shape));
  }

  // q, k: [1, 1, T, hd] rotated at the given positions -> scores [T, T]
  private static float[] scores(NDManager m, Rotary2d rotary, NDArray q, NDArray k, long[] rows, long[] cols) {
    int t = rows.length;
    NDArray[] tables = rotary.tables(m, rows, cols, 1, t);
    NDArray rq = RotaryEmbedding.apply(q, tables[0], tables[1]);
    NDArray rk = RotaryEmbedding.apply(k, tables[0], tables[1]);
    return rq.matMul(rk.transpose(0, 1, 3, 2)).toFloatArray();
  }

  @Test
  void shiftingTheGridLeavesScoresUnchanged() {
    try (NDManager m = NDManager.newBaseManager()) {
      Rotary2d rotary = new Rotary2d(HEAD_DIM, 100);
      NDArray q = random(m, 1, 1, 1, 6, HEAD_DIM);
      NDArray k = random(m, 2, 1, 1, 6, HEAD_DIM);
      // a 2x3 grid, and the same grid moved by (5, 7)
      long[] rows = {0, 0, 0, 1, 1, 1};
      long[] cols = {0, 1, 2, 0, 1, 2};
      long[] rowsShifted = new long[6];
      long[] colsShifted = new long[6];
      for (int i = 0; i < 6; i++) {
        rowsShifted[i] = rows[i] + 5;
        colsShifted[i] = cols[i] + 7;
      }
      float[] a = scores(m, rotary, q, k, rows, cols);
      float[] b = scores(m, rotary, q, k, rowsShifted, colsShifted);
      assertArrayEquals(a, b, 1e-4f);
    }
  }

  @Test
  void rowsAndColumnsAreDistinguished() {
    try (NDManager m = NDManager.newBaseManager()) {
      Rotary2d rotary = new Rotary2d(HEAD_DIM, 100);
      NDArray q = random(m, 3, 1, 1, 2, HEAD_DIM);
      NDArray k = random(m, 4, 1, 1, 2, HEAD_DIM);
      // key one column to the right vs one row below: different relative offsets, different scores
      float[] right = scores(m, rotary, q, k, new long[] {0, 0}, new long[] {0, 1});
      float[] below = scores(m, rotary, q, k, new long[] {0, 1}, new long[] {0, 0});
      assertTrue(Math.abs(right[1] - below[1]) > 1e-3, right[1] + " vs " + below[1]);
      // position (0, 0) is the identity rotation
      float[] origin = scores(m, rotary, q, k, new long[] {0, 0}, new long[] {0, 0});
      float[] plain = q.matMul(k.transpose(0, 1, 3, 2)).toFloatArray();
      assertArrayEquals(plain, origin, 1e-5f);
    }
  }

  @Test
  void diagonalTextPositionsActLike1dRope() {
    try (NDManager m = NDManager.newBaseManager()) {
      Rotary2d rotary = new Rotary2d(HEAD_DIM, 100);
      NDArray q = random(m, 5, 1, 1, 3, HEAD_DIM);
      NDArray k = random(m, 6, 1, 1, 3, HEAD_DIM);
      float[] a = scores(m, rotary, q, k, new long[] {64, 65, 66}, new long[] {64, 65, 66});
      float[] b = scores(m, rotary, q, k, new long[] {10, 11, 12}, new long[] {10, 11, 12});
      assertArrayEquals(a, b, 1e-4f);
    }
  }

  @Test
  void badHeadDimensionFails() {
    assertThrows(IllegalArgumentException.class, () -> new Rotary2d(6, 100));
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(new Shape(2, 1, 3, 8),
          new Rotary2d(8, 100).tables(m, new long[6], new long[6], 2, 3)[0].getShape());
    }
  }
}
