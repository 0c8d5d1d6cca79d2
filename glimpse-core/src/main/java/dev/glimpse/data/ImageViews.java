package dev.glimpse.data;

import dev.glimpse.connect.AnyRes;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * How a connector model sees one image: one view at its input size (most models), or, with LLaVA-NeXT's
 * AnyRes, a resized base view and the tiles of the grid that fits the image best; and how many visual
 * tokens the image then takes in the text.
 */
@FunctionalInterface
public interface ImageViews {
  /**
   * One image, viewed.
   *
   * @param pixels the views' normalised pixels, CHW one after another
   * @param views how many views
   * @param tokens visual tokens the image takes in the text
   * @param layout the AnyRes layout of its tiles, or null for one view
   */
  record Viewed(float[] pixels, int views, int tokens, AnyRes.Layout layout) {}

  Viewed view(BufferedImage image, ImageTransform transform);

  /** One view per image, {@code tokens} visual tokens. */
  static ImageViews single(int tokens) {
    return (image, transform) -> {
      float[] pixels = new float[transform.floats()];
      transform.apply(image, pixels, 0);
      return new Viewed(pixels, 1, tokens, null);
    };
  }

  /**
   * AnyRes: the base view ({@code transform}: the tower's input size) then the tiles of the
   * best-fitting grid among {@code pinpoints} ({@link AnyRes}), tiles of the tower's input size;
   * {@code side} tokens along a view's side.
   */
  static ImageViews anyRes(List<List<Integer>> pinpoints, int side) {
    return (image, transform) -> {
      int tile = transform.height();
      AnyRes.Grid grid = AnyRes.select(image.getHeight(), image.getWidth(), pinpoints, tile);
      AnyRes.Layout layout = AnyRes.layout(image.getHeight(), image.getWidth(), grid, side, side * side);
      float[] tiles = tiles(image, grid, transform, tile);
      float[] pixels = new float[transform.floats() + tiles.length];
      transform.apply(image, pixels, 0);
      System.arraycopy(tiles, 0, pixels, transform.floats(), tiles.length);
      return new Viewed(pixels, 1 + grid.tiles(), layout.tokens(), layout);
    };
  }

  /**
   * The tiles of an image on {@code grid}, each {@code tile x tile}, row by row: the image is fitted
   * into the grid's resolution (aspect kept, padded) as {@code transform} does, then cut.
   *
   * @return {@code rows * columns * 3 * tile * tile} normalised values, CHW per tile
   */
  private static float[] tiles(BufferedImage image, AnyRes.Grid grid, ImageTransform transform, int tile) {
    ImageTransform whole = new ImageTransform(grid.height(), grid.width(), transform.mean(), transform.std(),
        ImageTransform.FIT, 0);
    float[] canvas = new float[whole.floats()];
    whole.apply(image, canvas, 0);
    float[] out = new float[grid.tiles() * 3 * tile * tile];
    int at = 0;
    for (int r = 0; r < grid.rows(); r++) {
      for (int c = 0; c < grid.columns(); c++) {
        for (int ch = 0; ch < 3; ch++) {
          for (int y = 0; y < tile; y++) {
            int from = (ch * grid.height() + r * tile + y) * grid.width() + c * tile;
            System.arraycopy(canvas, from, out, at, tile);
            at += tile;
          }
        }
      }
    }
    return out;
  }
}
