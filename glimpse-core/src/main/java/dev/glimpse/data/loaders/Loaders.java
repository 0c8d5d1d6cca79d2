package dev.glimpse.data.loaders;

import dev.glimpse.data.Images;
import dev.glimpse.data.SampleException;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the file-based loaders share: checked folders, lazily read images, sorted listings. */
final class Loaders {
  private Loaders() {}

  /** A folder the user named must exist when the loader is built, not fail sample by sample. */
  static void requireDirectory(Path dir, String what) {
    if (!Files.isDirectory(dir)) {
      throw new GlimpseException(
          (Files.exists(dir) ? what + " is not a directory: " : what + " not found: ") + dir);
    }
  }

  /** The file name without its last extension: "captions_val2017" for captions_val2017.json. */
  static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /**
   * Reads and decodes one image file as 8-bit RGB; a missing, unreadable or corrupt file is a
   * {@link SampleException} naming it.
   */
  static BufferedImage readImage(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SampleException("image not found: " + file);
    } catch (IOException e) {
      throw new SampleException(
          (Files.isDirectory(file) ? "expected an image file, got a directory: " : "cannot read image ") + file
              + (Files.isDirectory(file) ? "" : ": " + e.getMessage()),
          e);
    }
    return Images.decodeRgb(bytes, file.toString());
  }

  /** The image files directly in {@code dir}, sorted by name. */
  static List<Path> listImages(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> Images.isImageFile(f) && Files.isRegularFile(f)).sorted().toList();
    }
  }
}
