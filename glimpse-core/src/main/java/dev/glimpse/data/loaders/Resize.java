package dev.glimpse.data.loaders;

import dev.glimpse.data.Images;
import dev.glimpse.util.GlimpseException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Resizes an image to exactly {@code width x height} 8-bit RGB, in plain Java2D (safe on any thread,
 * no tensor library). Downscaling halves the image with bilinear filtering until it is less than
 * twice the target, then takes one bilinear step: each halving averages 2x2 blocks, so the result
 * is close to area averaging without the aliasing of a single large bilinear step.
 *
 * @param width output width in pixels
 * @param height output height in pixels
 * @param fit how the aspect ratio is handled
 */
public record Resize(int width, int height, Fit fit) {
  /** How an image whose aspect ratio differs from the target's is fitted. */
  public enum Fit {
    /** Scale so the image covers the target, then cut the centre (CLIP / ViT preprocessing). */
    CROP,
    /** Scale so the whole image fits, centre it, fill the rest with black (letterbox). */
    PAD,
    /** Scale each axis independently; distorts the aspect ratio. */
    STRETCH
  }

  public Resize {
    if (width < 1 || height < 1 || width > 8192 || height > 8192) {
      throw new GlimpseException("resize: width and height must be in 1..8192, got " + width + "x" + height);
    }
    if (fit == null) {
      throw new GlimpseException("resize: fit must be one of CROP, PAD, STRETCH");
    }
  }

  /** A square target with centre crop. */
  public static Resize square(int size) {
    return new Resize(size, size, Fit.CROP);
  }

  /** The resized image, always a new {@code TYPE_INT_RGB} image of the target size. */
  public BufferedImage apply(BufferedImage image) {
    BufferedImage source = drawable(image);
    int srcW = source.getWidth();
    int srcH = source.getHeight();
    // Source region [sx, sx + sw) x [sy, sy + sh) is drawn into target region [dx, dx + dw) x [dy, dy + dh).
    double sx = 0;
    double sy = 0;
    double sw = srcW;
    double sh = srcH;
    int dx = 0;
    int dy = 0;
    int dw = width;
    int dh = height;
    switch (fit) {
      case CROP -> {
        double scale = Math.max((double) width / srcW, (double) height / srcH);
        sw = width / scale;
        sh = height / scale;
        sx = (srcW - sw) / 2;
        sy = (srcH - sh) / 2;
      }
      case PAD -> {
        double scale = Math.min((double) width / srcW, (double) height / srcH);
        dw = Math.max(1, Math.min(width, (int) Math.round(srcW * scale)));
        dh = Math.max(1, Math.min(height, (int) Math.round(srcH * scale)));
        dx = (width - dw) / 2;
        dy = (height - dh) / 2;
      }
      case STRETCH -> {}
    }
    // Halve the source region while it is at least twice the target region in both directions.
    while (sw >= 2 * dw && sh >= 2 * dh) {
      // Rounding the half size down keeps every output pixel fully covered by the region (rounding
      // up would leave a half-empty black edge that the next step blurs in); the scale is within a
      // pixel of 1/2, so each output pixel still averages about a 2x2 block.
      int halfW = (int) (sw / 2);
      int halfH = (int) (sh / 2);
      BufferedImage half = new BufferedImage(halfW, halfH, BufferedImage.TYPE_INT_RGB);
      draw(source, half, sx, sy, sw, sh, 0, 0, halfW, halfH);
      source = half;
      sx = 0;
      sy = 0;
      sw = halfW;
      sh = halfH;
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    draw(source, out, sx, sy, sw, sh, dx, dy, dw, dh);
    return out;
  }

  private static void draw(
      BufferedImage source, BufferedImage target, double sx, double sy, double sw, double sh,
      int dx, int dy, int dw, int dh) {
    Graphics2D g = target.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      // An affine transform maps the (fractional) source region onto the target region exactly;
      // the clip keeps the bilinear filter's edge pixels out of the padding.
      g.clipRect(dx, dy, dw, dh);
      g.translate(dx, dy);
      g.scale(dw / sw, dh / sh);
      g.translate(-sx, -sy);
      g.drawImage(source, 0, 0, null);
    } finally {
      g.dispose();
    }
  }

  /**
   * Image types Java2D draws correctly as RGB go straight through; gray (which Java2D would treat as
   * linear light), 16-bit, alpha and CMYK images are converted first.
   */
  private static BufferedImage drawable(BufferedImage image) {
    return switch (image.getType()) {
      case BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_3BYTE_BGR -> image;
      default -> Images.toRgb(image);
    };
  }
}
