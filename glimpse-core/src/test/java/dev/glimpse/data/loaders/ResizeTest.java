package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.glimpse.data.Images;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ResizeTest {
  /** 300x100: red, green and blue thirds. */
  private static BufferedImage thirds() {
    BufferedImage image = new BufferedImage(300, 100, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 100, 100);
    g.setColor(Color.GREEN);
    g.fillRect(100, 0, 100, 100);
    g.setColor(Color.BLUE);
    g.fillRect(200, 0, 100, 100);
    g.dispose();
    return image;
  }

  @Test
  void uniformImageStaysUniformToTheEdgesForEveryFitAndSize() {
    BufferedImage image = TestFiles.solid(301, 203, new Color(10, 200, 90));
    for (Resize.Fit fit : new Resize.Fit[] {Resize.Fit.CROP, Resize.Fit.STRETCH}) {
      for (int size : new int[] {7, 64, 150, 500}) {
        BufferedImage out = new Resize(size, size, fit).apply(image);
        assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
        assertEquals(size, out.getWidth());
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            assertEquals(0x0ac85a, out.getRGB(x, y) & 0xffffff, fit + " " + size + " at " + x + "," + y);
          }
        }
      }
    }
  }

  @Test
  void cropKeepsTheCentre() {
    BufferedImage out = new Resize(30, 30, Resize.Fit.CROP).apply(thirds());
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 30; x++) {
        assertEquals(0x00ff00, out.getRGB(x, y) & 0xffffff, "at " + x + "," + y);
      }
    }
  }

  @Test
  void padLetterboxesWithBlack() {
    BufferedImage out = new Resize(60, 60, Resize.Fit.PAD).apply(thirds());
    // 300x100 scaled to 60x20, centred: rows 20..39 hold the image.
    assertEquals(0, out.getRGB(30, 5) & 0xffffff);
    assertEquals(0, out.getRGB(30, 55) & 0xffffff);
    assertEquals(0xff0000, out.getRGB(5, 30) & 0xffffff);
    assertEquals(0x00ff00, out.getRGB(30, 30) & 0xffffff);
    assertEquals(0x0000ff, out.getRGB(55, 30) & 0xffffff);
    assertEquals(0xff0000, out.getRGB(5, 20) & 0xffffff, "first image row is not blurred into the padding");
    assertEquals(0xff0000, out.getRGB(5, 39) & 0xffffff, "last image row");
    assertEquals(0, out.getRGB(5, 19) & 0xffffff);
    assertEquals(0, out.getRGB(5, 40) & 0xffffff);
  }

  @Test
  void stretchDistorts() {
    BufferedImage out = new Resize(30, 10, Resize.Fit.STRETCH).apply(thirds());
    assertEquals(0xff0000, out.getRGB(2, 5) & 0xffffff);
    assertEquals(0x0000ff, out.getRGB(27, 5) & 0xffffff);
  }

  @Test
  void downscalingAveragesLikeAnAreaFilter() {
    // One-pixel stripes alternate black and white: a single bilinear step would alias to arbitrary
    // grays; averaging gives 50% everywhere.
    BufferedImage stripes = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 512; y++) {
      for (int x = 0; x < 512; x += 2) {
        stripes.setRGB(x, y, 0xffffff);
      }
    }
    BufferedImage out = Resize.square(32).apply(stripes);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int level = out.getRGB(x, y) & 0xff;
        assertEquals(127.5, level, 2.0, "at " + x + "," + y);
      }
    }
  }

  @Test
  void realPhotographKeepsItsMeanColour() {
    BufferedImage photo = Images.decodeRgb(TestFiles.photo("grace_hopper.jpg"), "grace_hopper.jpg");
    BufferedImage small = new Resize(64, 75, Resize.Fit.STRETCH).apply(photo); // same aspect as 512x600
    double[] before = TestFiles.meanRgb(photo);
    double[] after = TestFiles.meanRgb(small);
    for (int c = 0; c < 3; c++) {
      assertEquals(before[c], after[c], 1.5, "channel " + c);
    }
  }

  @Test
  void grayInputKeepsItsLevel() {
    BufferedImage gray = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        gray.getRaster().setSample(x, y, 0, 100);
      }
    }
    BufferedImage out = Resize.square(10).apply(gray);
    assertEquals(0x646464, out.getRGB(5, 5) & 0xffffff);
  }

  @Test
  void invalidSizesAreRejected() {
    assertThrows(GlimpseException.class, () -> new Resize(0, 10, Resize.Fit.CROP));
    assertThrows(GlimpseException.class, () -> new Resize(10, 10, null));
    assertArrayEquals(new int[] {5, 5}, new int[] {Resize.square(5).width(), Resize.square(5).height()});
  }
}
