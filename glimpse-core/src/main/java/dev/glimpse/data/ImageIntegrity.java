package dev.glimpse.data;

import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * Checks that an image file is whole, for {@link Images#decode}. ImageIO decodes what a cut-off or
 * damaged file holds and fills the rest (the JPEG reader with gray, after reporting the damage only
 * to its warning listeners), so a reader that does not look would train on, or caption, half an
 * image. What counts as damage, by format:
 *
 * <ul>
 *   <li>JPEG: a warning from the decoder that the entropy-coded data is broken or ends early
 *       ({@code Corrupt JPEG data: ...}, {@code Premature end of JPEG file}, invalid scan parameters,
 *       an inconsistent progression); and a missing end-of-image marker when the file has more than
 *       one scan (progressive, or one scan per component), because a file cut between two scans
 *       decodes without any other warning. A single-scan (baseline) file whose only fault is the
 *       missing end marker holds every pixel and is accepted. Warnings about metadata (an invalid
 *       ICC profile, odd JFIF markers) are not damage.
 *   <li>PNG: a chunk that runs past the end of the file, or whose CRC does not match (the JDK's
 *       reader checks neither); a missing {@code IEND} after complete image data is accepted.
 *   <li>GIF and BMP: the JDK's readers fail on data that ends early; the message then says
 *       truncated when the file lacks its end (the GIF trailer).
 * </ul>
 */
final class ImageIntegrity {
  private ImageIntegrity() {}

  /** JPEG decoder warnings that mean the pixel data is damaged or incomplete. */
  private static final List<String> JPEG_DAMAGE = List.of("corrupt jpeg data", "premature end",
      "invalid sos parameters", "inconsistent progression", "bogus", "missing eoi");

  /**
   * The problem with a decoded JPEG, from the decoder's warnings and the file's scan structure; null
   * when it is whole.
   */
  static String jpegProblem(byte[] bytes, List<String> warnings) {
    String missingEnd = null;
    for (String warning : warnings) {
      String w = warning.toLowerCase(Locale.ROOT);
      if (w.contains("missing eoi")) {
        missingEnd = warning;
      } else if (JPEG_DAMAGE.stream().anyMatch(w::contains)) {
        return (missingEnd != null || w.contains("premature end") ? "truncated: " : "corrupt: ") + warning;
      }
    }
    if (missingEnd != null && !singleScan(bytes)) {
      return "truncated: the file ends before its end-of-image marker, and the image is stored in several "
          + "scans, so some of them may be missing";
    }
    return null;
  }

  /**
   * Whether a JPEG stores the whole image in its first scan: a sequential (not progressive) frame
   * whose first scan interleaves all of the frame's components. Walks the marker segments up to the
   * first start-of-scan; anything it cannot parse counts as not single-scan.
   */
  static boolean singleScan(byte[] b) {
    if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
      return false;
    }
    int frameComponents = -1;
    boolean progressive = false;
    int i = 2;
    while (i + 3 < b.length) {
      if ((b[i] & 0xFF) != 0xFF) {
        return false;
      }
      int marker = b[i + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte
        i++;
        continue;
      }
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // TEM, RSTn: no length
        i += 2;
        continue;
      }
      int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
      int body = i + 4;
      if (length < 2 || i + 2 + length > b.length) {
        return false;
      }
      boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (startOfFrame && length >= 8) {
        progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
        frameComponents = b[body + 5] & 0xFF;
      } else if (marker == 0xDA) {
        int scanComponents = b[body] & 0xFF;
        return frameComponents > 0 && !progressive && scanComponents == frameComponents;
      }
      i += 2 + length;
    }
    return false;
  }

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  /**
   * The problem with a PNG's chunk structure (a chunk running past the end of the file, a CRC that
   * does not match); null when every chunk up to {@code IEND}, or up to the end of the file, is whole.
   */
  static String pngProblem(byte[] b) {
    if (b.length < PNG_SIGNATURE.length) {
      return "truncated: the file ends inside the PNG signature";
    }
    int i = PNG_SIGNATURE.length;
    CRC32 crc = new CRC32();
    while (i < b.length) {
      if (i + 8 > b.length) {
        return "truncated: the file ends inside the header of a chunk at byte " + i;
      }
      long length = ((b[i] & 0xFFL) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
      String type = new String(b, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      long end = i + 12L + length;
      if (end > b.length) {
        return "truncated: chunk " + type + " at byte " + i + " needs " + (end - i) + " bytes, the file has "
            + (b.length - i) + " left";
      }
      crc.reset();
      crc.update(b, i + 4, (int) length + 4);
      int stored = ((b[(int) end - 4] & 0xFF) << 24) | ((b[(int) end - 3] & 0xFF) << 16)
          | ((b[(int) end - 2] & 0xFF) << 8) | (b[(int) end - 1] & 0xFF);
      if ((int) crc.getValue() != stored) {
        return "corrupt: CRC mismatch in chunk " + type + " at byte " + i;
      }
      if (type.equals("IEND")) {
        return null;
      }
      i = (int) end;
    }
    return null;
  }

  /** Whether a file of this format ends as a whole one does (GIF: the trailer byte 0x3B). */
  static boolean endsWhole(String format, byte[] b) {
    return switch (format.toLowerCase(Locale.ROOT)) {
      case "gif" -> b.length > 0 && b[b.length - 1] == 0x3B;
      case "jpeg", "jpg" -> b.length >= 2 && (b[b.length - 2] & 0xFF) == 0xFF && (b[b.length - 1] & 0xFF) == 0xD9;
      case "png" -> b.length >= 12 && new String(b, b.length - 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("IEND");
      default -> true;
    };
  }
}
