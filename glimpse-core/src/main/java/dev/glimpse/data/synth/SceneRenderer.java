package dev.glimpse.data.synth;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Renders a {@link Scene}: background and pixel noise are computed here pixel by pixel (integer and
 * strict floating-point arithmetic, so identical everywhere); shapes are filled with Java2D, with or
 * without antialiasing.
 */
final class SceneRenderer {
  private static final int TEXTURE_CELLS = 6;

  private SceneRenderer() {}

  static BufferedImage render(Scene scene) {
    int width = scene.width();
    int height = scene.height();
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    fillBackground(pixels, width, height, scene.background(), scene.noiseSeed());
    Graphics2D g = image.createGraphics();
    try {
      Object aa = scene.antialias() ? RenderingHints.VALUE_ANTIALIAS_ON : RenderingHints.VALUE_ANTIALIAS_OFF;
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      for (SceneObject object : scene.objects()) {
        g.setColor(new Color(object.rgb()));
        g.fill(ShapeGeometry.outline(object.shape(), object.centerX() * width,
            object.centerY() * height, object.radius(), object.rotation()));
      }
    } finally {
      g.dispose();
    }
    if (scene.noiseAmplitude() > 0) {
      addNoise(pixels, scene.noiseAmplitude(), scene.noiseSeed());
    }
    return image;
  }

  static void fillBackground(int[] pixels, int width, int height, Background background, long seed) {
    switch (background.kind()) {
      case PLAIN -> java.util.Arrays.fill(pixels, background.fromRgb());
      case GRADIENT -> fillGradient(pixels, width, height, background);
      case TEXTURE -> fillTexture(pixels, width, height, background, seed);
    }
  }

  private static void fillGradient(int[] pixels, int width, int height, Background background) {
    double angle = StrictMath.toRadians(background.angle());
    double cos = StrictMath.cos(angle);
    double sin = StrictMath.sin(angle);
    // Project the corners to find the range of the gradient axis.
    double min = Math.min(Math.min(0, width * cos), Math.min(height * sin, width * cos + height * sin));
    double max = Math.max(Math.max(0, width * cos), Math.max(height * sin, width * cos + height * sin));
    double span = Math.max(1e-9, max - min);
    int[] a = rgb(background.fromRgb());
    int[] b = rgb(background.toRgb());
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double t = ((x + 0.5) * cos + (y + 0.5) * sin - min) / span;
        pixels[y * width + x] = pack(
            (int) Math.round(a[0] + t * (b[0] - a[0])),
            (int) Math.round(a[1] + t * (b[1] - a[1])),
            (int) Math.round(a[2] + t * (b[2] - a[2])));
      }
    }
  }

  /** Soft blotches: random offsets on a coarse grid, bilinearly interpolated, same on all channels. */
  private static void fillTexture(int[] pixels, int width, int height, Background background, long seed) {
    SceneRandom random = new SceneRandom(seed ^ 0x7465787475726545L);
    int amplitude = background.textureAmplitude();
    double[] grid = new double[(TEXTURE_CELLS + 1) * (TEXTURE_CELLS + 1)];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = random.uniform(-amplitude, amplitude);
    }
    int[] base = rgb(background.fromRgb());
    for (int y = 0; y < height; y++) {
      double gy = (y + 0.5) / height * TEXTURE_CELLS;
      int cy = Math.min(TEXTURE_CELLS - 1, (int) gy);
      double fy = gy - cy;
      for (int x = 0; x < width; x++) {
        double gx = (x + 0.5) / width * TEXTURE_CELLS;
        int cx = Math.min(TEXTURE_CELLS - 1, (int) gx);
        double fx = gx - cx;
        int row = cy * (TEXTURE_CELLS + 1);
        double top = grid[row + cx] * (1 - fx) + grid[row + cx + 1] * fx;
        double bottom = grid[row + TEXTURE_CELLS + 1 + cx] * (1 - fx) + grid[row + TEXTURE_CELLS + 2 + cx] * fx;
        int d = (int) Math.round(top * (1 - fy) + bottom * fy);
        pixels[y * width + x] = pack(base[0] + d, base[1] + d, base[2] + d);
      }
    }
  }

  /** Independent uniform noise in [-amplitude, amplitude] on each channel of each pixel. */
  static void addNoise(int[] pixels, int amplitude, long seed) {
    SceneRandom random = new SceneRandom(seed);
    int levels = 2 * amplitude + 1;
    for (int i = 0; i < pixels.length; i++) {
      long bits = random.nextLong();
      int p = pixels[i];
      int r = ((p >> 16) & 0xFF) + (int) ((bits & 0xFFFF) % levels) - amplitude;
      int g = ((p >> 8) & 0xFF) + (int) (((bits >>> 16) & 0xFFFF) % levels) - amplitude;
      int b = (p & 0xFF) + (int) (((bits >>> 32) & 0xFFFF) % levels) - amplitude;
      pixels[i] = pack(r, g, b);
    }
  }

  private static int[] rgb(int rgb) {
    return new int[] {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
  }

  private static int pack(int r, int g, int b) {
    return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
  }

  private static int clamp(int c) {
    return c < 0 ? 0 : Math.min(255, c);
  }
}
