package dev.glimpse.serve;

import dev.glimpse.data.Images;
import dev.glimpse.data.SampleException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * Turns the {@code url} of an {@code image_url} part into an RGB image, within limits: inline
 * {@code data:image/...;base64,} URLs always; {@code file://} URLs only inside the folder that
 * {@code --allow-local-media} names (real path, symbolic links followed; {@code ..} refused);
 * {@code http(s)://} never (the server fetches nothing from the network). The encoded size is checked
 * before base64 decoding and the pixel count from the header before the pixels are decoded, so a
 * decompression bomb is refused without being allocated.
 */
final class MediaLoader {
  private final long maxBytes;
  private final long maxPixels;
  private final Path allowedDir; // real path, or null

  MediaLoader(long maxBytes, long maxPixels, Path allowLocalMedia) {
    this.maxBytes = maxBytes;
    this.maxPixels = maxPixels;
    try {
      this.allowedDir = allowLocalMedia == null ? null : allowLocalMedia.toRealPath();
    } catch (IOException e) {
      throw new dev.glimpse.util.GlimpseException("--allow-local-media folder not found: " + allowLocalMedia);
    }
    if (allowedDir != null && !Files.isDirectory(allowedDir)) {
      throw new dev.glimpse.util.GlimpseException("--allow-local-media is not a folder: " + allowLocalMedia);
    }
  }

  /**
   * @param url the part's {@code image_url.url}
   * @param param the field's path in the request, named in errors
   */
  BufferedImage load(String url, String param) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("data:")) {
      return decode(dataUrl(url, param), param);
    }
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      throw ApiException.invalid(param, "invalid_image_url", param + ": remote image URLs are refused (the server "
          + "fetches nothing from the network); send the image inline as a data:image/...;base64, URL");
    }
    if (lower.startsWith("file:")) {
      return decode(file(url, param), param);
    }
    throw ApiException.invalid(param, "invalid_image_url", param + ": expected a data:image/...;base64, URL, got '"
        + abbreviate(url) + "'");
  }

  private byte[] dataUrl(String url, String param) {
    int comma = url.indexOf(',');
    if (comma < 0) {
      throw ApiException.invalid(param, "invalid_image_url", param + ": a data URL needs a comma before its data");
    }
    String meta = url.substring(5, comma).toLowerCase(Locale.ROOT).trim();
    String mediaType = meta.contains(";") ? meta.substring(0, meta.indexOf(';')) : meta;
    if (!mediaType.startsWith("image/")) {
      throw ApiException.invalid(param, "invalid_image_url", param + ": the data URL holds '"
          + (mediaType.isEmpty() ? "text/plain" : mediaType) + "', not an image (image/png, image/jpeg, ...)");
    }
    if (!meta.endsWith(";base64")) {
      throw ApiException.invalid(param, "invalid_image_url", param + ": image data URLs must be base64 (';base64,')");
    }
    int encoded = url.length() - comma - 1;
    long decodedAtMost = (long) encoded / 4 * 3 + 3;
    if ((long) encoded / 4 * 3 - 2 > maxBytes) {
      throw tooLarge(param, "the image is about " + decodedAtMost + " bytes (at most " + maxBytes
          + ", --max-image-bytes)");
    }
    String data = url.substring(comma + 1);
    if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0 || data.indexOf(' ') >= 0) {
      data = data.replaceAll("\\s", "");
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(data);
      if (bytes.length > maxBytes) {
        throw tooLarge(param, "the image is " + bytes.length + " bytes (at most " + maxBytes + ", --max-image-bytes)");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(param, "invalid_image_url", param + ": the data URL is not valid base64 ("
          + e.getMessage() + ")");
    }
  }

  private byte[] file(String url, String param) {
    if (allowedDir == null) {
      throw ApiException.invalid(param, "invalid_image_url", param + ": file:// image URLs are refused (start the "
          + "server with --allow-local-media DIR to allow files in DIR)");
    }
    Path path;
    try {
      URI uri = new URI(url);
      if (uri.getPath() == null || uri.getAuthority() != null && !uri.getAuthority().isEmpty()
          && !uri.getAuthority().equals("localhost")) {
        throw ApiException.invalid(param, "invalid_image_url", param + ": expected file:///absolute/path");
      }
      for (String segment : uri.getPath().split("/")) {
        if (segment.equals("..")) {
          throw ApiException.invalid(param, "invalid_image_url", param + ": '..' is not allowed in file URLs");
        }
      }
      path = Path.of(uri.getPath());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw ApiException.invalid(param, "invalid_image_url", param + ": not a valid file URL (" + e.getMessage() + ")");
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      throw ApiException.invalid(param, "invalid_image_url", param + ": no such file in the allowed media folder");
    }
    if (!real.startsWith(allowedDir)) {
      throw ApiException.invalid(param, "invalid_image_url", param + ": the file is outside the allowed media folder "
          + "(--allow-local-media)");
    }
    try {
      if (!Files.isRegularFile(real)) {
        throw ApiException.invalid(param, "invalid_image_url", param + ": not a regular file");
      }
      long size = Files.size(real);
      if (size > maxBytes) {
        throw tooLarge(param, "the image is " + size + " bytes (at most " + maxBytes + ", --max-image-bytes)");
      }
      return Files.readAllBytes(real);
    } catch (IOException e) {
      throw ApiException.invalid(param, "invalid_image_url", param + ": cannot read the file (" + e.getMessage() + ")");
    }
  }

  private BufferedImage decode(byte[] bytes, String param) {
    try {
      int[] size = Images.dimensions(bytes, param);
      long pixels = (long) size[0] * size[1];
      if (pixels > maxPixels) {
        throw tooLarge(param, "the image is " + size[0] + "x" + size[1] + " = " + pixels + " pixels (at most "
            + maxPixels + ", --max-pixels)");
      }
      if (size[0] < 1 || size[1] < 1) {
        throw ApiException.invalid(param, "invalid_image", param + ": the image is empty");
      }
      return Images.decodeRgb(bytes, param);
    } catch (SampleException e) {
      throw ApiException.invalid(param, "invalid_image", param + ": " + e.getMessage());
    }
  }

  private static ApiException tooLarge(String param, String what) {
    return ApiException.invalid(param, "image_too_large", param + ": " + what);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
