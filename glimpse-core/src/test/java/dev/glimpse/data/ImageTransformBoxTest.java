package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** A box of the source image lands where its pixels land after each resize mode. */
class ImageTransformBoxTest {
  @Test
  void mappedBoxesFrameTheirPixelsInEveryMode() {
    BufferedImage image = new BufferedImage(120, 72, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 120, 72);
    g.setColor(Color.RED);
    g.fillRect(40, 16, 36, 30); // x 40..76, y 16..46
    g.dispose();
    for (String mode : new String[] {ImageTransform.FIT, ImageTransform.STRETCH, ImageTransform.CROP}) {
      ImageTransform t = ImageTransform.square(48).withResize(mode, 0);
      float[] pixels = t.apply(image);
      float[] box = t.mapBox(40, 16, 36, 30, 120, 72);
      int cx = (int) ((box[0] + box[2]) / 2);
      int cy = (int) ((box[1] + box[3]) / 2);
      assertTrue(red(pixels, t, cx, cy), mode + ": the box's centre is red " + java.util.Arrays.toString(box));
      assertTrue(red(pixels, t, (int) Math.ceil(box[0]) + 1, cy) && red(pixels, t, (int) box[2] - 2, cy), mode);
      assertTrue(!red(pixels, t, (int) box[0] - 2, cy) && !red(pixels, t, (int) Math.ceil(box[2]) + 1, cy),
          mode + ": just outside the box is not red " + java.util.Arrays.toString(box));
      assertTrue(!red(pixels, t, cx, (int) box[1] - 2) && !red(pixels, t, cx, (int) Math.ceil(box[3]) + 1), mode);
    }
  }

  // channel 0 high, channel 1 low (normalised to [-1, 1])
  private static boolean red(float[] pixels, ImageTransform t, int x, int y) {
    int plane = t.height() * t.width();
    return pixels[y * t.width() + x] > 0.5f && pixels[plane + y * t.width() + x] < -0.5f;
  }
}
