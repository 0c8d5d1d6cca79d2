package dev.glimpse.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * Image to model input, {@code height x width}, then scaled to {@code (v/255 - mean) / std} per
 * channel in CHW order. How the image is brought to that size is {@code resize}:
 * <ul>
 *   <li>{@code fit} (default): fit inside the canvas keeping the aspect ratio, fill the rest with the
 *       image's mean border colour;
 *   <li>{@code crop}: scale the shorter side to {@code resizeTo} (0: the larger of height and width),
 *       then take the centre (HF CLIPImageProcessor: {@code size.shortest_edge} + {@code crop_size});
 *   <li>{@code stretch}: scale each axis to the target, ignoring the aspect ratio (HF BlipImageProcessor).
 * </ul>
 * Resampling averages areas when shrinking and is bilinear when enlarging, done in plain Java rather
 * than with Java2D, whose bilinear downscaling skips pixels and aliases thin shapes.
 */
public record ImageTransform(int height, int width, float[] mean, float[] std, String resize, int resizeTo) {
  public static final String FIT = "fit";
  public static final String CROP = "crop";
  public static final String STRETCH = "stretch";

  public ImageTransform {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("image size must be > 0, got " + height + "x" + width);
    }
    if (mean == null || std == null || mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values");
    }
    resize = resizeMode(resize);
    if (resizeTo < 0) {
      throw new IllegalArgumentException("resizeTo must be >= 0, got " + resizeTo);
    }
  }

  /**
   * A resize mode checked: {@value #FIT}, {@value #STRETCH} or {@value #CROP}; null (configs written
   * before resize modes existed) is {@value #FIT}.
   */
  public static String resizeMode(String mode) {
    if (mode == null) {
      return FIT;
    }
    if (!mode.equals(FIT) && !mode.equals(STRETCH) && !mode.equals(CROP)) {
      throw new IllegalArgumentException("resize must be fit, stretch or crop, got '" + mode + "'");
    }
    return mode;
  }

  /** Fit mode (the default). */
  public ImageTransform(int height, int width, float[] mean, float[] std) {
    this(height, width, mean, std, FIT, 0);
  }

  /** Square input, pixels scaled to [-1, 1]. */
  public static ImageTransform square(int size) {
    return new ImageTransform(size, size, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
  }

  /** CLIP's normalisation constants (OpenAI CLIP, HF CLIPImageProcessor, GIT). */
  public static ImageTransform clip(int size) {
    return new ImageTransform(size, size, new float[] {0.48145466f, 0.4578275f, 0.40821073f},
        new float[] {0.26862954f, 0.26130258f, 0.27577711f});
  }

  /** Number of floats one image produces. */
  public int floats() {
    return 3 * height * width;
  }

  /** The same normalisation with another resize mode. */
  public ImageTransform withResize(String mode, int shortestEdge) {
    return new ImageTransform(height, width, mean, std, mode, shortestEdge);
  }

  /** Writes the normalised CHW pixels of {@code image} into {@code out} at {@code offset}. */
  public void apply(BufferedImage image, float[] out, int offset) {
    float[] rgb = switch (resize) {  // [H, W, 3] in 0..255
      case CROP -> cropped(image);
      case STRETCH -> resize(rgb(image), image.getHeight(), image.getWidth(), height, width);
      default -> fitted(image);
    };
    int plane = height * width;
    for (int c = 0; c < 3; c++) {
      float scale = 1f / (255f * std[c]);
      float shift = mean[c] / std[c];
      for (int i = 0; i < plane; i++) {
        out[offset + c * plane + i] = rgb[i * 3 + c] * scale - shift;
      }
    }
  }

  public float[] apply(BufferedImage image) {
    float[] out = new float[floats()];
    apply(image, out, 0);
    return out;
  }

  // Aspect-preserving resize onto the canvas, HWC floats 0..255.
  float[] fitted(BufferedImage image) {
    int srcW = image.getWidth();
    int srcH = image.getHeight();
    float[] src = rgb(image);
    double scale = Math.min((double) width / srcW, (double) height / srcH);
    int newW = Math.max(1, Math.min(width, (int) Math.round(srcW * scale)));
    int newH = Math.max(1, Math.min(height, (int) Math.round(srcH * scale)));
    float[] resized = resize(src, srcH, srcW, newH, newW);
    if (newW == width && newH == height) {
      return resized;
    }
    float[] fill = borderMean(src, srcH, srcW);
    float[] canvas = new float[height * width * 3];
    for (int i = 0; i < height * width; i++) {
      System.arraycopy(fill, 0, canvas, i * 3, 3);
    }
    int top = (height - newH) / 2;
    int left = (width - newW) / 2;
    for (int y = 0; y < newH; y++) {
      System.arraycopy(resized, y * newW * 3, canvas, ((top + y) * width + left) * 3, newW * 3);
    }
    return canvas;
  }

  // Shorter side to resizeTo (longer side truncated as HF does), then the centre height x width.
  float[] cropped(BufferedImage image) {
    int srcW = image.getWidth();
    int srcH = image.getHeight();
    int shortest = resizeTo > 0 ? resizeTo : Math.max(height, width);
    int newW;
    int newH;
    if (srcW <= srcH) {
      newW = shortest;
      newH = (int) ((long) shortest * srcH / srcW);
    } else {
      newH = shortest;
      newW = (int) ((long) shortest * srcW / srcH);
    }
    float[] resized = resize(rgb(image), srcH, srcW, newH, newW);
    float[] out = new float[height * width * 3];
    int top = (newH - height) / 2;
    int left = (newW - width) / 2;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int sy = y + top;
        int sx = x + left;
        if (sy >= 0 && sy < newH && sx >= 0 && sx < newW) { // a crop larger than the image pads with 0
          System.arraycopy(resized, (sy * newW + sx) * 3, out, (y * width + x) * 3, 3);
        }
      }
    }
    return out;
  }

  private static float[] rgb(BufferedImage image) {
    BufferedImage rgb = Images.toRgb(image); // gray, 16-bit, CMYK and alpha handled as the loaders do
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    int[] packed = packedPixels(rgb);
    float[] out = new float[w * h * 3];
    for (int i = 0; i < w * h; i++) {
      int p = packed[i];
      out[i * 3] = (p >> 16) & 0xff;
      out[i * 3 + 1] = (p >> 8) & 0xff;
      out[i * 3 + 2] = p & 0xff;
    }
    return out;
  }

  // The 0xRRGGBB pixels of a TYPE_INT_RGB image, row-major: its own buffer when that is laid out so
  // (no sub-image offsets or padding), else a copy through getRGB.
  private static int[] packedPixels(BufferedImage rgb) {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    WritableRaster raster = rgb.getRaster();
    if (raster.getDataBuffer() instanceof DataBufferInt buffer
        && raster.getSampleModel() instanceof SinglePixelPackedSampleModel model
        && model.getScanlineStride() == w && buffer.getOffset() == 0 && buffer.getNumBanks() == 1
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
      return buffer.getData();
    }
    return rgb.getRGB(0, 0, w, h, null, 0, w);
  }

  private static float[] borderMean(float[] src, int h, int w) {
    double[] sum = new double[3];
    int n = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
          for (int c = 0; c < 3; c++) {
            sum[c] += src[(y * w + x) * 3 + c];
          }
          n++;
        }
      }
    }
    return new float[] {(float) (sum[0] / n), (float) (sum[1] / n), (float) (sum[2] / n)};
  }

  /** Separable resize: area averaging along an axis that shrinks, bilinear along one that grows. */
  static float[] resize(float[] src, int srcH, int srcW, int dstH, int dstW) {
    float[] rows = resizeAxis(src, srcH, srcW, dstW, true);   // [srcH, dstW, 3]
    return resizeAxis(rows, srcH, dstW, dstH, false);         // [dstH, dstW, 3]
  }

  // Resizes along x (horizontal=true) or y of an HWC image. Per output position the source taps and
  // weights are worked out once; the sums then run in memory order (along rows), in double precision,
  // taps in ascending order.
  private static float[] resizeAxis(float[] src, int h, int w, int dst, boolean horizontal) {
    int srcLen = horizontal ? w : h;
    if (srcLen == dst) {
      return src;
    }
    int outH = horizontal ? h : dst;
    int outW = horizontal ? dst : w;
    float[] out = new float[outH * outW * 3];
    int[][] taps = new int[dst][];
    double[][] weights = new double[dst][];
    double ratio = (double) srcLen / dst;
    for (int i = 0; i < dst; i++) {
      if (ratio > 1) {
        // area: source interval [i*ratio, (i+1)*ratio)
        double start = i * ratio;
        double end = start + ratio;
        int first = (int) Math.floor(start);
        int last = Math.min(srcLen - 1, (int) Math.ceil(end) - 1);
        taps[i] = new int[last - first + 1];
        weights[i] = new double[taps[i].length];
        for (int k = first; k <= last; k++) {
          double cover = Math.min(end, k + 1) - Math.max(start, k);
          taps[i][k - first] = k;
          weights[i][k - first] = cover / ratio;
        }
      } else {
        double center = (i + 0.5) * ratio - 0.5;
        int lo = (int) Math.floor(center);
        double frac = center - lo;
        taps[i] = new int[] {Math.max(0, Math.min(srcLen - 1, lo)), Math.max(0, Math.min(srcLen - 1, lo + 1))};
        weights[i] = new double[] {1 - frac, frac};
      }
    }
    if (horizontal) {
      for (int y = 0; y < h; y++) {
        int srcRow = y * w * 3;
        int outRow = y * outW * 3;
        for (int i = 0; i < dst; i++) {
          int[] idx = taps[i];
          double[] wts = weights[i];
          for (int c = 0; c < 3; c++) {
            double acc = 0;
            for (int k = 0; k < idx.length; k++) {
              acc += wts[k] * src[srcRow + idx[k] * 3 + c];
            }
            out[outRow + i * 3 + c] = (float) acc;
          }
        }
      }
    } else {
      int rowLen = w * 3;
      double[] acc = new double[rowLen];
      for (int i = 0; i < dst; i++) {
        Arrays.fill(acc, 0);
        int[] idx = taps[i];
        double[] wts = weights[i];
        for (int k = 0; k < idx.length; k++) {
          int srcRow = idx[k] * rowLen;
          double wt = wts[k];
          for (int x = 0; x < rowLen; x++) {
            acc[x] += wt * src[srcRow + x];
          }
        }
        int outRow = i * rowLen;
        for (int x = 0; x < rowLen; x++) {
          out[outRow + x] = (float) acc[x];
        }
      }
    }
    return out;
  }
}
