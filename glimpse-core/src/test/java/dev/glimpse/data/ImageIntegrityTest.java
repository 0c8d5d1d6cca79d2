package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.loaders.ImageFolder;
import dev.glimpse.data.loaders.SkipLog;
import dev.glimpse.data.loaders.SkippingDataset;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cut-off and damaged files are bad images for every reader: {@link Images} refuses them with a
 * message that names the file and says truncated or corrupt, and a loader counts them as skips. The
 * files are made here from a real photograph (test resource {@code images/grace_hopper.jpg}).
 */
class ImageIntegrityTest {
  @TempDir Path dir;

  private static BufferedImage photo() throws IOException {
    try (InputStream in = ImageIntegrityTest.class.getResourceAsStream("/images/grace_hopper.jpg")) {
      return Images.decodeRgb(in.readAllBytes(), "grace_hopper.jpg");
    }
  }

  private static byte[] photoBytes() throws IOException {
    try (InputStream in = ImageIntegrityTest.class.getResourceAsStream("/images/grace_hopper.jpg")) {
      return in.readAllBytes();
    }
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), format);
    return out.toByteArray();
  }

  private static byte[] progressiveJpeg(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Offsets of the JPEG markers {@code 0xFF marker} outside entropy-coded data (stuffed 0xFF00 never matches). */
  private static List<Integer> markers(byte[] jpeg, int marker) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i + 1 < jpeg.length; i++) {
      if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
        at.add(i);
      }
    }
    return at;
  }

  private static void assertRefused(byte[] bytes, String name, String kind) {
    SampleException e = assertThrows(SampleException.class, () -> Images.decode(bytes, name));
    assertTrue(e.getMessage().startsWith(kind + " ") && e.getMessage().contains(name), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void jpegCutAnywhereInItsScanIsTruncated() throws IOException {
    byte[] jpeg = photoBytes();
    int scan = markers(jpeg, 0xDA).get(0);
    for (int cut = scan + 20; cut < jpeg.length - 2; cut += (jpeg.length - scan) / 23) {
      assertRefused(Arrays.copyOf(jpeg, cut), "cut-" + cut + ".jpg", "truncated");
    }
    // Cut inside the scan header: the decoder warns about the scan parameters and fills with gray.
    assertRefused(Arrays.copyOf(jpeg, scan + 6), "in-header.jpg", "truncated");
  }

  @Test
  void progressiveJpegCutBetweenScansIsTruncated() throws IOException {
    byte[] jpeg = progressiveJpeg(photo());
    List<Integer> scans = markers(jpeg, 0xDA);
    assertTrue(scans.size() >= 4, "a progressive JPEG has several scans: " + scans.size());
    // Cut just before a later scan's tables: every scan present is complete, so ImageIO's only
    // complaint is the missing end marker; the image still lacks the remaining scans' detail.
    for (int s = 1; s < scans.size(); s++) {
      int previous = scans.get(s - 1);
      int tables = markers(Arrays.copyOf(jpeg, scans.get(s)), 0xC4).stream()
          .filter(i -> i > previous).findFirst().orElse(scans.get(s));
      assertRefused(Arrays.copyOf(jpeg, tables), "scan-" + s + ".jpg", "truncated");
    }
    assertEquals(jpeg.length, markers(jpeg, 0xD9).get(0) + 2);
    assertEquals(512, Images.decode(jpeg, "whole.jpg").getWidth());
  }

  @Test
  void damagedJpegScanDataIsCorrupt() throws IOException {
    byte[] jpeg = photoBytes();
    byte[] zeroed = jpeg.clone();
    Arrays.fill(zeroed, jpeg.length / 2, jpeg.length / 2 + 64, (byte) 0);
    assertRefused(zeroed, "zeroed.jpg", "corrupt");
  }

  @Test
  void baselineJpegMissingOnlyItsEndMarkerIsWhole() throws IOException {
    byte[] jpeg = photoBytes();
    assertTrue(ImageIntegrity.singleScan(jpeg));
    assertFalse(ImageIntegrity.singleScan(progressiveJpeg(photo())));
    BufferedImage image = Images.decode(Arrays.copyOf(jpeg, jpeg.length - 2), "no-eoi.jpg");
    assertEquals(512, image.getWidth());
  }

  @Test
  void pngCutOrWithABadChecksumIsRefused() throws IOException {
    byte[] png = encode(photo(), "png");
    for (int cut = 40; cut < png.length - 12; cut += png.length / 17) {
      assertRefused(Arrays.copyOf(png, cut), "cut-" + cut + ".png", "truncated");
    }
    // The last bytes of the compressed data: the pixels decode, the chunk is still short.
    assertRefused(Arrays.copyOf(png, png.length - 13), "short-idat.png", "truncated");
    byte[] flipped = png.clone();
    flipped[png.length / 2] ^= 0x10;
    assertRefused(flipped, "flipped.png", "corrupt");
    // A damaged checksum (the last byte of IDAT's CRC): ImageIO's reader would not notice.
    byte[] badCrc = png.clone();
    badCrc[png.length - 13] ^= 0x01;
    assertRefused(badCrc, "bad-crc.png", "corrupt");
    assertTrue(ImageIO.read(new java.io.ByteArrayInputStream(badCrc)) != null);
    // Without IEND the image data is complete.
    assertEquals(600, Images.decode(Arrays.copyOf(png, png.length - 12), "no-iend.png").getHeight());
  }

  @Test
  void gifCutAnywhereIsTruncated() throws IOException {
    BufferedImage small = new BufferedImage(128, 150, BufferedImage.TYPE_INT_RGB);
    small.createGraphics().drawImage(photo(), 0, 0, 128, 150, null);
    byte[] gif = encode(small, "gif");
    int refused = 0;
    for (int cut = 20; cut < gif.length - 1; cut += gif.length / 19) {
      byte[] part = Arrays.copyOf(gif, cut);
      SampleException e = assertThrows(SampleException.class, () -> Images.decode(part, "cut.gif"));
      assertTrue(e.getMessage().contains("cut.gif") && e.getMessage().contains("GIF"), e.getMessage());
      refused += e.getMessage().startsWith("truncated ") ? 1 : 0;
    }
    assertTrue(refused >= 17, "cut GIFs called truncated: " + refused);
  }

  @Test
  void loadersCountTruncatedFilesAsSkips() throws IOException {
    Path cls = Files.createDirectories(dir.resolve("people"));
    byte[] jpeg = photoBytes();
    Files.write(cls.resolve("a_whole.jpg"), jpeg);
    Files.write(cls.resolve("b_cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    byte[] png = encode(photo(), "png");
    Files.write(cls.resolve("c_cut.png"), Arrays.copyOf(png, png.length / 2));
    byte[] gif = encode(photo(), "gif");
    Files.write(cls.resolve("d_cut.gif"), Arrays.copyOf(gif, gif.length / 2));
    Files.write(cls.resolve("e_whole.png"), png);
    List<String> warnings = new ArrayList<>();
    SkippingDataset data = new SkippingDataset(ImageFolder.open(dir), new SkipLog("people", warnings::add));
    List<String> read = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      data.tryGet(i).ifPresent(example -> read.add(example.id()));
    }
    assertEquals(List.of("people/a_whole.jpg", "people/e_whole.png"), read);
    assertEquals(3, data.skippedCount());
    assertEquals(3, warnings.size(), warnings.toString());
    for (String name : List.of("b_cut.jpg", "c_cut.png", "d_cut.gif")) {
      assertTrue(warnings.stream().anyMatch(w -> w.contains(name) && w.contains("truncated")), name + ": " + warnings);
    }
  }

  /**
   * Every image in Glimpse is read through {@link Images}: no other main class asks ImageIO for a
   * reader, so a new reader (a server, a Spark job) cannot bypass the checks above.
   */
  @Test
  void imagesIsTheOnlyReader() throws IOException {
    Path main = Path.of("src", "main", "java");
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (file.getFileName().toString().equals("Images.java")) {
          continue;
        }
        String text = Files.readString(file);
        for (String call : List.of("ImageIO.read(", "ImageIO.getImageReaders", "ImageIO.getImageReadersBy",
            "ImageIO.createImageInputStream", "Toolkit.getDefaultToolkit().createImage")) {
          if (text.contains(call)) {
            offenders.add(main.relativize(file) + " calls " + call);
          }
        }
      }
    }
    assertEquals(List.of(), offenders);
  }
}
