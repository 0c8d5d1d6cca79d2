package dev.glimpse.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;

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

  /**
   * Where the model's {@code width x height} canvas lies over a {@code srcWidth x srcHeight} image, in
   * the image's pixel coordinates: {left, top, right, bottom} of the canvas edges (beyond the image
   * for the padding of {@code fit}, inside it for the centre of {@code crop}). Maps a patch grid back
   * onto the picture a person sees.
   */
  public double[] canvasOver(int srcWidth, int srcHeight) {
    switch (resize) {
      case CROP -> {
        int shortest = resizeTo > 0 ? resizeTo : Math.max(height, width);
        int newW = srcWidth <= srcHeight ? shortest : (int) ((long) shortest * srcWidth / srcHeight);
        int newH = srcWidth <= srcHeight ? (int) ((long) shortest * srcHeight / srcWidth) : shortest;
        double sx = (double) srcWidth / newW;
        double sy = (double) srcHeight / newH;
        int top = (newH - height) / 2;
        int left = (newW - width) / 2;
        return new double[] {left * sx, top * sy, (left + width) * sx, (top + height) * sy};
      }
      case STRETCH -> {
        return new double[] {0, 0, srcWidth, srcHeight};
      }
      default -> {
        double scale = Math.min((double) width / srcWidth, (double) height / srcHeight);
        int newW = Math.max(1, Math.min(width, (int) Math.round(srcWidth * scale)));
        int newH = Math.max(1, Math.min(height, (int) Math.round(srcHeight * scale)));
        double sx = (double) srcWidth / newW;
        double sy = (double) srcHeight / newH;
        int top = (height - newH) / 2;
        int left = (width - newW) / 2;
        return new double[] {-left * sx, -top * sy, (width - left) * sx, (height - top) * sy};
      }
    }
  }

  public float[] apply(BufferedImage image) {
    float[] out = new float[floats()];
    apply(image, out, 0);
    return out;
  }

  /**
   * Where a box of a {@code srcWidth x srcHeight} image lands in the model's input: {@code [x1, y1, x2,
   * y2]} in input pixels, after the same resize as {@link #apply} (and clipped to the input for
   * {@code crop}).
   *
   * @param x left edge in source pixels
   * @param y top edge in source pixels
   */
  public float[] mapBox(double x, double y, double boxWidth, double boxHeight, int srcWidth, int srcHeight) {
    double sx;
    double sy;
    double left = 0;
    double top = 0;
    switch (resize) {
      case STRETCH -> {
        sx = (double) width / srcWidth;
        sy = (double) height / srcHeight;
      }
      case CROP -> {
        int shortest = resizeTo > 0 ? resizeTo : Math.max(height, width);
        int newW = srcWidth <= srcHeight ? shortest : (int) ((long) shortest * srcWidth / srcHeight);
        int newH = srcWidth <= srcHeight ? (int) ((long) shortest * srcHeight / srcWidth) : shortest;
        sx = (double) newW / srcWidth;
        sy = (double) newH / srcHeight;
        left = -(newW - width) / 2;
        top = -(newH - height) / 2;
      }
      default -> {
        double scale = Math.min((double) width / srcWidth, (double) height / srcHeight);
        int newW = Math.max(1, Math.min(width, (int) Math.round(srcWidth * scale)));
        int newH = Math.max(1, Math.min(height, (int) Math.round(srcHeight * scale)));
        sx = (double) newW / srcWidth;
        sy = (double) newH / srcHeight;
        left = (width - newW) / 2;
        top = (height - newH) / 2;
      }
    }
    float[] box = {(float) (left + x * sx), (float) (top + y * sy), (float) (left + (x + boxWidth) * sx),
        (float) (top + (y + boxHeight) * sy)};
    if (resize.equals(CROP)) {
      box[0] = Math.max(0, Math.min(width, box[0]));
      box[2] = Math.max(0, Math.min(width, box[2]));
      box[1] = Math.max(0, Math.min(height, box[1]));
      box[3] = Math.max(0, Math.min(height, box[3]));
    }
    return box;
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

  /**
   * Separable resize: area averaging along an axis that shrinks, bilinear along one that grows. The
   * vertical pass runs along whole rows (contiguous memory, which the JIT vectorises); when it
   * shrinks it goes first, so the horizontal pass (a gather per output pixel) has fewer rows to do.
   */
  static float[] resize(float[] src, int srcH, int srcW, int dstH, int dstW) {
    if (dstH <= srcH) {
      float[] rows = resizeVertical(src, srcH, srcW * 3, dstH);   // [dstH, srcW, 3]
      return resizeHorizontal(rows, dstH, srcW, dstW);            // [dstH, dstW, 3]
    }
    float[] columns = resizeHorizontal(src, srcH, srcW, dstW);    // [srcH, dstW, 3]
    return resizeVertical(columns, srcH, dstW * 3, dstH);         // [dstH, dstW, 3]
  }

  /**
   * Source taps of each output position along an axis of {@code srcLen} resized to {@code dst}:
   * output {@code i} reads {@code count[i]} source positions from {@code first[i]} with the weights
   * from {@code weights[i * stride]}.
   */
  private record Taps(int[] first, int[] count, float[] weights, int stride) {
    static Taps of(int srcLen, int dst) {
      double ratio = (double) srcLen / dst;
      int stride = ratio > 1 ? (int) Math.ceil(ratio) + 1 : 2;
      int[] first = new int[dst];
      int[] count = new int[dst];
      float[] weights = new float[dst * stride];
      for (int i = 0; i < dst; i++) {
        if (ratio > 1) {
          // area: source interval [i*ratio, (i+1)*ratio)
          double start = i * ratio;
          double end = start + ratio;
          int lo = (int) Math.floor(start);
          int hi = Math.min(srcLen - 1, (int) Math.ceil(end) - 1);
          first[i] = lo;
          count[i] = hi - lo + 1;
          for (int k = lo; k <= hi; k++) {
            weights[i * stride + k - lo] = (float) ((Math.min(end, k + 1) - Math.max(start, k)) / ratio);
          }
        } else {
          // bilinear between the pixel centres around (i + 0.5) * ratio - 0.5, edges clamped
          double center = (i + 0.5) * ratio - 0.5;
          int lo = (int) Math.floor(center);
          float frac = (float) (center - lo);
          int a = Math.max(0, Math.min(srcLen - 1, lo));
          int b = Math.max(0, Math.min(srcLen - 1, lo + 1));
          if (a == b) {
            first[i] = a;
            count[i] = 1;
            weights[i * stride] = 1f;
          } else {
            first[i] = a;
            count[i] = 2;
            weights[i * stride] = 1f - frac;
            weights[i * stride + 1] = frac;
          }
        }
      }
      return new Taps(first, count, weights, stride);
    }
  }

  // Rows of rowLen floats: [h, rowLen] -> [dst, rowLen].
  private static float[] resizeVertical(float[] src, int h, int rowLen, int dst) {
    if (h == dst) {
      return src;
    }
    Taps taps = Taps.of(h, dst);
    float[] out = new float[dst * rowLen];
    for (int i = 0; i < dst; i++) {
      int outRow = i * rowLen;
      for (int k = 0; k < taps.count[i]; k++) {
        float wt = taps.weights[i * taps.stride + k];
        int srcRow = (taps.first[i] + k) * rowLen;
        for (int x = 0; x < rowLen; x++) {
          out[outRow + x] += wt * src[srcRow + x];
        }
      }
    }
    return out;
  }

  // HWC pixels: [h, w, 3] -> [h, dst, 3].
  private static float[] resizeHorizontal(float[] src, int h, int w, int dst) {
    if (w == dst) {
      return src;
    }
    Taps taps = Taps.of(w, dst);
    float[] out = new float[h * dst * 3];
    for (int y = 0; y < h; y++) {
      int srcRow = y * w * 3;
      int outRow = y * dst * 3;
      for (int i = 0; i < dst; i++) {
        int from = srcRow + taps.first[i] * 3;
        int wOffset = i * taps.stride;
        float r = 0;
        float g = 0;
        float b = 0;
        for (int k = 0; k < taps.count[i]; k++) {
          float wt = taps.weights[wOffset + k];
          r += wt * src[from + 3 * k];
          g += wt * src[from + 3 * k + 1];
          b += wt * src[from + 3 * k + 2];
        }
        out[outRow + i * 3] = r;
        out[outRow + i * 3 + 1] = g;
        out[outRow + i * 3 + 2] = b;
      }
    }
    return out;
  }
}
