package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

/** The RGB conversion and robustness additions to {@link Images}. */
class ImagesRgbTest {
  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, out), "writer for " + format);
    return out.toByteArray();
  }

  private static byte[] photo(String name) throws IOException {
    try (InputStream in = ImagesRgbTest.class.getResourceAsStream("/images/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void grayKeepsItsLevelsInsteadOfBrighteningThem() throws IOException {
    BufferedImage gray = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(0, 0, 0, 128);
    gray.getRaster().setSample(1, 0, 0, 255);
    BufferedImage rgb = Images.decodeRgb(encode(gray, "png"), "gray.png");
    assertEquals(BufferedImage.TYPE_INT_RGB, rgb.getType());
    assertEquals(0x808080, rgb.getRGB(0, 0) & 0xffffff);
    assertEquals(0xffffff, rgb.getRGB(1, 0) & 0xffffff);
    assertEquals(0x000000, rgb.getRGB(2, 0) & 0xffffff);
  }

  @Test
  void sixteenBitGrayAndRgbAreScaledToEightBits() throws IOException {
    BufferedImage gray16 = new BufferedImage(2, 2, BufferedImage.TYPE_USHORT_GRAY);
    gray16.getRaster().setSample(0, 0, 0, 128 * 257);
    assertEquals(0x808080, Images.decodeRgb(encode(gray16, "png"), "g16.png").getRGB(0, 0) & 0xffffff);

    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB), new int[] {16, 16, 16}, false, false, Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(2, 2);
    raster.setPixel(1, 1, new int[] {0x1200, 0xff00, 0x0000});
    BufferedImage rgb16 = new BufferedImage(model, raster, false, null);
    BufferedImage decoded = Images.decode(encode(rgb16, "png"), "rgb16.png");
    assertEquals(16, decoded.getColorModel().getComponentSize(0), "the file really is 16-bit");
    assertEquals(0x12fe00, Images.toRgb(decoded).getRGB(1, 1) & 0xffffff);
  }

  @Test
  void alphaIsDroppedNotComposited() throws IOException {
    BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    rgba.setRGB(0, 0, 0x00c80a0a); // fully transparent, colour kept as stored
    rgba.setRGB(1, 0, 0x80204060);
    BufferedImage rgb = Images.decodeRgb(encode(rgba, "png"), "rgba.png");
    assertEquals(0xc80a0a, rgb.getRGB(0, 0) & 0xffffff);
    assertEquals(0x204060, rgb.getRGB(1, 0) & 0xffffff);
  }

  @Test
  void cmykJpegBecomesRgb() throws IOException {
    WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 8, 4, null);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 16; x++) {
        cmyk.setPixel(x, y, x < 8 ? new int[] {0, 255, 255, 255} : new int[] {255, 255, 255, 255});
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(cmyk, null, null), null);
    }
    BufferedImage decoded = Images.decode(bytes.toByteArray(), "cmyk.jpg");
    assertEquals(ColorSpace.TYPE_CMYK, decoded.getColorModel().getColorSpace().getType());
    BufferedImage rgb = Images.toRgb(decoded);
    assertEquals(BufferedImage.TYPE_INT_RGB, rgb.getType());
    assertEquals(decoded.getRGB(2, 2) & 0xffffff, rgb.getRGB(2, 2) & 0xffffff);
    assertTrue((rgb.getRGB(2, 2) & 0xffffff) != (rgb.getRGB(12, 2) & 0xffffff), "the two halves differ");
  }

  @Test
  void truncatedJpegIsCorruptButAMissingEndMarkerIsNot() throws IOException {
    byte[] jpeg = photo("grace_hopper.jpg");
    SampleException e =
        assertThrows(SampleException.class, () -> Images.decode(Arrays.copyOf(jpeg, jpeg.length / 2), "half.jpg"));
    assertTrue(e.getMessage().contains("half.jpg") && e.getMessage().contains("truncated"), e.getMessage());
    BufferedImage noEnd = Images.decode(Arrays.copyOf(jpeg, jpeg.length - 2), "no-eoi.jpg");
    assertEquals(512, noEnd.getWidth());
  }

  @Test
  void hugeDeclaredSizeIsRefusedBeforeDecoding() throws IOException {
    byte[] png = encode(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png");
    ByteBuffer header = ByteBuffer.wrap(png);
    header.putInt(16, 40_000).putInt(20, 40_000); // IHDR width and height
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    header.putInt(29, (int) crc.getValue());
    SampleException e = assertThrows(SampleException.class, () -> Images.decode(png, "bomb.png"));
    assertTrue(e.getMessage().contains("too large") && e.getMessage().contains("bomb.png"), e.getMessage());
  }

  @Test
  void realPhotographsDecodeToRgbOfTheirSize() throws IOException {
    BufferedImage rocket = Images.decodeRgb(photo("rocket.jpg"), "rocket.jpg");
    assertEquals(640, rocket.getWidth());
    assertEquals(427, rocket.getHeight());
    assertEquals(BufferedImage.TYPE_INT_RGB, rocket.getType());
    BufferedImage chelsea = Images.decodeRgb(photo("chelsea.png"), "chelsea.png");
    assertEquals(451, chelsea.getWidth());
    assertEquals(300, chelsea.getHeight());
  }
}
