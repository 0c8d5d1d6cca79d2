package dev.glimpse.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.eval.ImageGrid;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model's [-1, 1] output as RGB (clipped, rounded), and the PNG grid's layout (nearest-neighbour tiles). */
class GeneratedImagesTest {
  @Test
  void pixelsInMinusOneToOneBecomeLevels() {
    try (NDManager manager = NDManager.newBaseManager()) {
      // one 1x2 image: red channel -1 and 1, green 0 and 2 (clipped), blue -3 (clipped) and 0.5
      float[] values = {-1f, 1f, 0f, 2f, -3f, 0.5f};
      List<BufferedImage> images = GeneratedImages.toImages(manager.create(values, new Shape(1, 3, 1, 2)));
      assertEquals(1, images.size());
      assertEquals((0 << 16) | (128 << 8) | 0, images.get(0).getRGB(0, 0) & 0xFFFFFF);
      assertEquals((255 << 16) | (255 << 8) | 191, images.get(0).getRGB(1, 0) & 0xFFFFFF);
    }
  }

  @Test
  void gridTilesAreScaledByNearestNeighbour() {
    BufferedImage tile = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    tile.setRGB(0, 0, 0xFF0000);
    tile.setRGB(1, 1, 0x0000FF);
    BufferedImage grid = ImageGrid.render(null, List.of(new ImageGrid.Row(List.of(tile, tile), null)), 8);
    assertEquals(4 + 2 * (8 + 4), grid.getWidth());
    assertEquals(4 + 8 + 4, grid.getHeight());
    assertEquals(0xFF0000, grid.getRGB(4 + 1, 4 + 1) & 0xFFFFFF);   // top-left quarter of the first tile
    assertEquals(0x0000FF, grid.getRGB(4 + 6, 4 + 6) & 0xFFFFFF);   // bottom-right quarter
  }
}
