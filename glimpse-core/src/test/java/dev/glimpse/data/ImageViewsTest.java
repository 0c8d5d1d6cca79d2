package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.glimpse.connect.AnyRes;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a connector model sees an image: one view, or AnyRes's base view and tiles. */
class ImageViewsTest {
  private static final int TILE = 16;

  @Test
  void singleViewIsTheTransformsPixels() {
    BufferedImage image = quadrants(40, 24);
    ImageTransform transform = ImageTransform.square(TILE);
    ImageViews.Viewed viewed = ImageViews.single(9).view(image, transform);
    float[] expected = new float[transform.floats()];
    transform.apply(image, expected, 0);
    assertArrayEquals(expected, viewed.pixels());
    assertEquals(1, viewed.views());
    assertEquals(9, viewed.tokens());
    assertNull(viewed.layout());
  }

  /**
   * A 32x32 image of four coloured quadrants on a 2x2 grid of 16-pixel tiles: after the base view,
   * the tiles come row by row, channel-major inside each tile, and each tile is one quadrant's colour.
   */
  @Test
  void anyResTilesAreTheGridCutRowByRow() {
    BufferedImage image = quadrants(32, 32);
    ImageTransform transform = ImageTransform.square(TILE);
    ImageViews.Viewed viewed = ImageViews.anyRes(List.of(List.of(32, 32)), 2).view(image, transform);

    assertEquals(5, viewed.views());
    AnyRes.Layout layout = viewed.layout();
    assertEquals(new AnyRes.Grid(32, 32, 2, 2), layout.grid());
    assertEquals(viewed.tokens(), layout.tokens());
    assertEquals(5 * transform.floats(), viewed.pixels().length);

    float[] base = new float[transform.floats()];
    transform.apply(image, base, 0);
    assertArrayEquals(base, Arrays.copyOf(viewed.pixels(), base.length), "the base view comes first");

    Color[] order = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE};   // top-left, top-right, bottom-left, bottom-right
    int plane = TILE * TILE;
    for (int t = 0; t < 4; t++) {
      int start = (1 + t) * transform.floats();
      float[] rgb = {order[t].getRed(), order[t].getGreen(), order[t].getBlue()};
      for (int ch = 0; ch < 3; ch++) {
        float want = (rgb[ch] / 255f - 0.5f) / 0.5f;
        for (int i = 0; i < plane; i++) {
          assertEquals(want, viewed.pixels()[start + ch * plane + i], 1e-5, "tile " + t + " channel " + ch);
        }
      }
    }
  }

  private static BufferedImage quadrants(int height, int width) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    int h = height / 2;
    int w = width / 2;
    g.setColor(Color.RED);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.GREEN);
    g.fillRect(w, 0, width - w, h);
    g.setColor(Color.BLUE);
    g.fillRect(0, h, w, height - h);
    g.setColor(Color.WHITE);
    g.fillRect(w, h, width - w, height - h);
    g.dispose();
    return image;
  }
}
