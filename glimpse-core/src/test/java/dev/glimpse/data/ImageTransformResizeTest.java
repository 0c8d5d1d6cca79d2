package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The resampling of {@link ImageTransform}: area averaging when an axis shrinks, bilinear (pixel
 * centres, edges clamped) when it grows, checked against values worked out by hand and against the
 * two-dimensional definition computed pixel by pixel; images that share a buffer with a larger one
 * (sub-images) and other pixel layouts give the same input.
 */
class ImageTransformResizeTest {
  static final float[] ZERO = {0, 0, 0};
  static final float[] ONE = {1, 1, 1};

  static BufferedImage noise(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return img;
  }

  static float[] stretch(BufferedImage img, int height, int width) {
    return new ImageTransform(height, width, ZERO, ONE, ImageTransform.STRETCH, 0).apply(img);
  }

  static int channel(int rgb, int c) {
    return (rgb >> (16 - 8 * c)) & 0xff;
  }

  @Test
  void halvingAveragesEachTwoByTwoBlock() {
    BufferedImage img = noise(6, 4, 1);
    float[] out = stretch(img, 2, 3);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 3; x++) {
          double sum = 0;
          for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
              sum += channel(img.getRGB(2 * x + dx, 2 * y + dy), c);
            }
          }
          assertEquals(sum / 4 / 255, out[c * 6 + y * 3 + x], 1e-6, "channel " + c + " (" + y + ", " + x + ")");
        }
      }
    }
  }

  @Test
  void doublingIsBilinearBetweenPixelCentresWithClampedEdges() {
    BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0x000000);
    img.setRGB(1, 0, 0xff0000);
    float[] out = stretch(img, 1, 4);
    // output centres at source x = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1)
    assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, new float[] {out[0], out[1], out[2], out[3]}, 1e-6f);
  }

  @Test
  void anyShrinkEqualsTheAreaAverageComputedPerPixel() {
    int srcW = 37;
    int srcH = 23;
    int dstW = 10;
    int dstH = 7;
    BufferedImage img = noise(srcW, srcH, 2);
    float[] out = stretch(img, dstH, dstW);
    double rx = (double) srcW / dstW;
    double ry = (double) srcH / dstH;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < dstH; y++) {
        for (int x = 0; x < dstW; x++) {
          double sum = 0;
          for (int sy = 0; sy < srcH; sy++) {
            double coverY = Math.max(0, Math.min((y + 1) * ry, sy + 1) - Math.max(y * ry, sy));
            for (int sx = 0; sx < srcW; sx++) {
              double coverX = Math.max(0, Math.min((x + 1) * rx, sx + 1) - Math.max(x * rx, sx));
              sum += coverX * coverY * channel(img.getRGB(sx, sy), c);
            }
          }
          assertEquals(sum / (rx * ry) / 255, out[c * dstH * dstW + y * dstW + x], 1e-5,
              "channel " + c + " (" + y + ", " + x + ")");
        }
      }
    }
  }

  @Test
  void subImagesAndOtherPixelLayoutsGiveTheSameInput() {
    BufferedImage big = noise(50, 40, 3);
    BufferedImage sub = big.getSubimage(7, 5, 31, 22);  // shares big's buffer, with an offset and a wider stride
    BufferedImage copy = new BufferedImage(31, 22, BufferedImage.TYPE_INT_RGB);
    BufferedImage bgr = new BufferedImage(31, 22, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < 22; y++) {
      for (int x = 0; x < 31; x++) {
        copy.setRGB(x, y, big.getRGB(x + 7, y + 5));
        bgr.setRGB(x, y, big.getRGB(x + 7, y + 5));
      }
    }
    float[] expected = stretch(copy, 16, 16);
    assertArrayEquals(expected, stretch(sub, 16, 16), 0f);
    assertArrayEquals(expected, stretch(bgr, 16, 16), 0f);
  }
}
