package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sine-cosine position tables: known values, every row distinct, wrong sizes refused. */
class SinCosInitTest {
  @Test
  void oneDimensionalTableForFrames() {
    float[] t = Init.sinCos1d(3, 4, 100).sample(12, new SplittableRandom(0));
    // dim 4: omegas 1 and 1/10; row p = [sin p, sin p/10, cos p, cos p/10]
    float[] expected = {
        0f, 0f, 1f, 1f,
        (float) Math.sin(1), (float) Math.sin(0.1), (float) Math.cos(1), (float) Math.cos(0.1),
        (float) Math.sin(2), (float) Math.sin(0.2), (float) Math.cos(2), (float) Math.cos(0.2)};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], t[i], 1e-6f, "value " + i);
    }
    float[] frames = Init.sinCos1d(8, 192, 100).sample(8 * 192, new SplittableRandom(0));
    for (int a = 0; a < 8; a++) {
      for (int b = a + 1; b < 8; b++) {
        double d = 0;
        for (int i = 0; i < 192; i++) {
          d += Math.pow(frames[a * 192 + i] - frames[b * 192 + i], 2);
        }
        assertTrue(Math.sqrt(d) > 1, "frames " + a + " and " + b + " start apart: " + Math.sqrt(d));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Init.sinCos1d(3, 5, 100).sample(15, new SplittableRandom(0)));
  }

  @Test
  void twoDimensionalTableForPatches() {
    float[] t = Init.sinCos2d(2, 3, 4, 1).sample((1 + 6) * 4, new SplittableRandom(0));
    for (int i = 0; i < 4; i++) {
      assertEquals(0f, t[i], 0f, "the prefix (CLS) row is zero");
    }
    // dim 4, quarter 1, omega 1: patch (y, x) = [sin y, cos y, sin x, cos x]; (1, 2) is row 1 + 5
    int row = (1 + 5) * 4;
    assertEquals((float) Math.sin(1), t[row], 1e-6f);
    assertEquals((float) Math.cos(1), t[row + 1], 1e-6f);
    assertEquals((float) Math.sin(2), t[row + 2], 1e-6f);
    assertEquals((float) Math.cos(2), t[row + 3], 1e-6f);
  }
}
