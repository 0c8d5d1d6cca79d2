package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.glimpse.util.Json;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** The resize modes HF image processors need, and configs written before they existed. */
class ImageTransformModesTest {
  // 40x20: left half red, right half blue, a green 4-pixel column in the middle
  static BufferedImage image() {
    BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 20, 20);
    g.setColor(Color.BLUE);
    g.fillRect(20, 0, 20, 20);
    g.setColor(Color.GREEN);
    g.fillRect(18, 0, 4, 20);
    g.dispose();
    return img;
  }

  static final float[] ZERO = {0, 0, 0};
  static final float[] ONE = {1, 1, 1};

  // pixel (y, x) of channel c in 0..255
  static float at(ImageTransform t, float[] out, int c, int y, int x) {
    return out[c * t.height() * t.width() + y * t.width() + x] * 255f;
  }

  @Test
  void cropKeepsTheCentreAtTheShortestEdge() {
    ImageTransform t = new ImageTransform(10, 10, ZERO, ONE, ImageTransform.CROP, 10); // 40x20 -> 20x10 -> centre 10
    float[] out = t.apply(image());
    assertEquals(255f, at(t, out, 1, 5, 5), 1f);   // the green middle
    assertEquals(255f, at(t, out, 0, 5, 0), 1f);   // red at the left edge of the crop
    assertEquals(255f, at(t, out, 2, 5, 9), 1f);   // blue at the right edge
  }

  @Test
  void stretchIgnoresTheAspectRatio() {
    ImageTransform t = new ImageTransform(10, 10, ZERO, ONE, ImageTransform.STRETCH, 0);
    float[] out = t.apply(image());
    assertEquals(255f, at(t, out, 0, 5, 0), 1f);
    assertEquals(255f, at(t, out, 2, 5, 9), 1f);
    assertEquals(0f, at(t, out, 1, 0, 0), 1f);
  }

  @Test
  void oldConfigsReadAsFitAndBadModesAreRejected() {
    ImageTransform old = Json.GSON.fromJson("{\"height\": 8, \"width\": 8, \"mean\": [0.5, 0.5, 0.5], "
        + "\"std\": [0.5, 0.5, 0.5]}", ImageTransform.class);
    assertEquals(ImageTransform.FIT, old.resize());
    assertThrows(IllegalArgumentException.class, () -> new ImageTransform(8, 8, ZERO, ONE, "zoom", 0));
  }
}
