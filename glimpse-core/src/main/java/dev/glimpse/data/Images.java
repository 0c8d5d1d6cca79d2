package dev.glimpse.data;

import dev.glimpse.util.GlimpseException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** Reading images from files and bytes, with errors that say what is wrong and where. */
public final class Images {
  /** File endings the JDK's ImageIO decodes. */
  public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "wbmp");

  private Images() {}

  public static boolean isImageFile(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1));
  }

  /** Reads an image file for user-facing commands; problems become a {@link GlimpseException}. */
  public static BufferedImage read(Path path) {
    if (!Files.exists(path)) {
      throw new GlimpseException("image not found: " + path);
    }
    if (Files.isDirectory(path)) {
      throw new GlimpseException("expected an image file, got a directory: " + path);
    }
    try {
      return decode(Files.readAllBytes(path), path.toString());
    } catch (IOException e) {
      throw new GlimpseException("cannot read image " + path + ": " + e.getMessage(), e);
    } catch (SampleException e) {
      throw new GlimpseException(e.getMessage(), e);
    }
  }

  /**
   * Largest image we decode, in pixels (PIL's decompression-bomb limit): a small file that declares
   * a huge canvas would otherwise exhaust the heap of a decoding thread.
   */
  public static final long MAX_PIXELS = 178_956_970L;

  /**
   * Decodes image bytes; {@code where} names the source in messages. Throws {@link SampleException}
   * for unsupported formats, corrupt or truncated data (see {@link ImageIntegrity} for what counts),
   * images over {@link #MAX_PIXELS} and unsupported channel counts. The result keeps the file's own
   * pixel layout (gray, 16-bit, CMYK, indexed...); {@link #toRgb} converts it.
   *
   * <p>This and {@link #read(Path)} are the only ways Glimpse reads an image (the CLI, the dataset
   * loaders, evaluation, and whatever serves or distributes decoding later), so every reader treats a
   * damaged file the same way: one error naming the file, or a counted skip in a loader.
   */
  public static BufferedImage decode(byte[] bytes, String where) {
    // A memory-backed stream: ImageIO.createImageInputStream would spill to a temp file per image.
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new SampleException("unsupported or unrecognised image format: " + where
            + " (supported: PNG, JPEG, BMP, GIF)");
      }
      ImageReader reader = readers.next();
      try {
        return read(reader, in, bytes, where);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new SampleException("cannot read image " + where + ": " + e.getMessage(), e);
    }
  }

  /**
   * Width and height from an image's header, without decoding its pixels (so that a server can refuse
   * a decompression bomb before allocating it). Throws {@link SampleException} for data no reader
   * recognises or whose header cannot be read.
   */
  public static int[] dimensions(byte[] bytes, String where) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new SampleException("unsupported or unrecognised image format: " + where
            + " (supported: PNG, JPEG, BMP, GIF)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof SampleException s) {
        throw s;
      }
      throw new SampleException("cannot read the header of image " + where + ": " + message(e), e);
    }
  }

  /** {@link #decode} followed by {@link #toRgb}: 8-bit RGB whatever the file held. */
  public static BufferedImage decodeRgb(byte[] bytes, String where) {
    return toRgb(decode(bytes, where));
  }

  private static BufferedImage read(ImageReader reader, ImageInputStream in, byte[] bytes, String where) {
    String format;
    try {
      format = reader.getFormatName().toUpperCase(Locale.ROOT);
    } catch (IOException e) {
      format = "image";
    }
    if (format.equals("PNG")) {
      String problem = ImageIntegrity.pngProblem(bytes);
      if (problem != null) {
        throw new SampleException(damaged(problem, format, where));
      }
    }
    List<String> warnings = new ArrayList<>();
    BufferedImage image;
    try {
      reader.setInput(in, true, true);
      // The JPEG reader does not fail on a cut-off or damaged file: it warns and fills the rest.
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning == null ? "" : warning));
      long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
      if (pixels > MAX_PIXELS) {
        throw new SampleException("image too large: " + reader.getWidth(0) + "x" + reader.getHeight(0) + " pixels in "
            + where + " (at most " + MAX_PIXELS + " pixels are decoded)");
      }
      image = reader.read(0);
    } catch (SampleException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String kind = ImageIntegrity.endsWhole(format, bytes) ? "corrupt" : "truncated";
      throw new SampleException(kind + " " + format + " image " + where + ": " + message(e), e);
    }
    if (image == null) {
      throw new SampleException("corrupt " + format + " image " + where);
    }
    if (format.equals("JPEG")) {
      String problem = ImageIntegrity.jpegProblem(bytes, warnings);
      if (problem != null) {
        throw new SampleException(damaged(problem, format, where));
      }
    }
    int bands = image.getRaster().getNumBands();
    boolean indexed = image.getColorModel() instanceof IndexColorModel;
    if (!indexed && bands != 1 && bands != 2 && bands != 3 && bands != 4) {
      throw new SampleException("unsupported channel count " + bands + " in image " + where
          + " (expected 1 gray, 2 gray+alpha, 3 RGB or 4 RGBA/CMYK)");
    }
    return image;
  }

  /** "truncated JPEG image a.jpg: ..." from a problem "truncated: ..." or "corrupt: ...". */
  private static String damaged(String problem, String format, String where) {
    int colon = problem.indexOf(": ");
    return problem.substring(0, colon) + " " + format + " image " + where + ": " + problem.substring(colon + 2);
  }

  /**
   * Converts any decoded image to 8-bit sRGB ({@code TYPE_INT_RGB}); an image already in that type
   * is returned as is. Alpha is dropped, not composited, like PIL's {@code convert("RGB")} that the
   * reference preprocessors use. Gray (8- or 16-bit) is copied to R=G=B by hand, because Java2D's
   * {@code getRGB} treats gray as linear light and brightens it (128 becomes 188); 16-bit samples are
   * scaled to 8 bits; CMYK JPEGs and other colour spaces go through their colour model.
   */
  public static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    int width = image.getWidth();
    int height = image.getHeight();
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    ColorModel model = image.getColorModel();
    int space = model.getColorSpace().getType();
    boolean components = model instanceof ComponentColorModel;
    if (components && space == ColorSpace.TYPE_GRAY) {
      copyComponents(image.getRaster(), model, dst, true);
    } else if (components && model.getColorSpace().isCS_sRGB()) {
      copyComponents(image.getRaster(), model, dst, false);
    } else {
      int[] row = new int[width];
      for (int y = 0; y < height; y++) {
        image.getRGB(0, y, width, 1, row, 0, width);
        for (int x = 0; x < width; x++) {
          dst[y * width + x] = row[x] & 0xffffff;
        }
      }
    }
    return out;
  }

  /** Gray or RGB component samples (any bit depth up to 16, alpha ignored) into packed RGB. */
  private static void copyComponents(Raster raster, ColorModel model, int[] dst, boolean gray) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    int bands = raster.getNumBands();
    int max = (1 << model.getComponentSize(0)) - 1;
    int[] lut = new int[max + 1];
    for (int v = 0; v <= max; v++) {
      lut[v] = (v * 255 + max / 2) / max;
    }
    int[] samples = new int[width * bands];
    for (int y = 0; y < height; y++) {
      raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, samples);
      int o = y * width;
      for (int x = 0, i = 0; x < width; x++, i += bands) {
        if (gray) {
          int g = lut[samples[i]];
          dst[o + x] = (g << 16) | (g << 8) | g;
        } else {
          dst[o + x] = (lut[samples[i]] << 16) | (lut[samples[i + 1]] << 8) | lut[samples[i + 2]];
        }
      }
    }
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
