package dev.glimpse.data;

import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

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
   * Decodes image bytes; {@code where} names the source in messages. Throws {@link SampleException}
   * for unsupported formats, corrupt data and unsupported channel counts.
   */
  public static BufferedImage decode(byte[] bytes, String where) {
    String format = null;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new SampleException("unsupported or unrecognised image format: " + where
            + " (supported: PNG, JPEG, BMP, GIF)");
      }
      ImageReader reader = readers.next();
      format = reader.getFormatName();
      reader.dispose();
    } catch (IOException e) {
      throw new SampleException("cannot read image " + where + ": " + e.getMessage(), e);
    }
    BufferedImage image;
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      image = ImageIO.read(in);
    } catch (IOException | RuntimeException e) {
      throw new SampleException("corrupt " + format + " image " + where + ": " + message(e), e);
    }
    if (image == null) {
      throw new SampleException("corrupt " + format + " image " + where);
    }
    int bands = image.getRaster().getNumBands();
    boolean indexed = image.getColorModel() instanceof java.awt.image.IndexColorModel;
    if (!indexed && bands != 1 && bands != 2 && bands != 3 && bands != 4) {
      throw new SampleException("unsupported channel count " + bands + " in image " + where
          + " (expected 1 gray, 2 gray+alpha, 3 RGB or 4 RGBA)");
    }
    return image;
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
