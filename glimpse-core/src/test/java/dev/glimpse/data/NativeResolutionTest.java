package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class NativeResolutionTest {
  @Test
  void gridKeepsTheAspectRatioWithinTheBudget() {
    NativeResolution r = new NativeResolution(16, 36);
    assertArrayEquals(new int[] {6, 6}, r.grid(200, 200));
    assertArrayEquals(new int[] {6, 6}, r.grid(40, 40)); // small images are scaled up to the budget
    int[] wide = r.grid(250, 100);
    int[] tall = r.grid(100, 250);
    assertArrayEquals(new int[] {wide[1], wide[0]}, tall); // transposed image, transposed grid
    assertTrue(wide[0] * wide[1] <= 36 && wide[0] * wide[1] >= 30, wide[0] + "x" + wide[1]);
    assertEquals(2.5, (double) wide[1] / wide[0], 0.3);
    for (int w = 20; w < 400; w += 37) {
      for (int h = 20; h < 400; h += 41) {
        int[] g = r.grid(w, h);
        assertTrue(g[0] >= 1 && g[1] >= 1 && g[0] * g[1] <= 36, w + "x" + h);
      }
    }
    assertArrayEquals(new int[] {1, 36}, r.grid(5000, 10)); // extreme aspect: one row within the budget
  }

  @Test
  void applyCutsTheImageIntoItsGrid() {
    BufferedImage image = new BufferedImage(90, 30, BufferedImage.TYPE_INT_RGB);
    NativeImage cut = new NativeResolution(8, 27).apply(image, ImageTransform.square(32));
    assertEquals(3, cut.gridHeight());
    assertEquals(9, cut.gridWidth());
    assertEquals(3 * 8 * 8, cut.patchDim());
    assertEquals(27 * 192, cut.patches().length);
    assertEquals(-1f, cut.patches()[0], 1e-6f); // black, scaled to [-1, 1]
  }
}
