package dev.glimpse.generate;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** A diffusion model's output, pixels in [-1, 1], as RGB images. */
public final class GeneratedImages {
  private GeneratedImages() {}

  /** [B, 3, H, W] in [-1, 1] (values outside are clipped) -> B images, channel values rounded to 0..255. */
  public static List<BufferedImage> toImages(NDArray images) {
    long[] shape = images.getShape().getShape();
    if (shape.length != 4 || shape[1] != 3) {
      throw new IllegalArgumentException("images must be [B, 3, H, W], got " + images.getShape());
    }
    int b = (int) shape[0];
    int h = (int) shape[2];
    int w = (int) shape[3];
    float[] values = images.toFloatArray();
    int plane = h * w;
    List<BufferedImage> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      int base = i * 3 * plane;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int p = y * w + x;
          int r = level(values[base + p]);
          int g = level(values[base + plane + p]);
          int bl = level(values[base + 2 * plane + p]);
          image.setRGB(x, y, (r << 16) | (g << 8) | bl);
        }
      }
      out.add(image);
    }
    return out;
  }

  // [-1, 1] -> 0..255
  static int level(float v) {
    float clipped = Math.max(-1f, Math.min(1f, v));
    return Math.round((clipped + 1f) * 127.5f);
  }
}
