package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * LLaVA-NeXT's AnyRes ("dynamic high resolution"): a large image is seen as a resized base view plus
 * the tiles of a grid, the grid chosen per image among a list of resolutions ("pinpoints", each
 * {@code [height, width]} in pixels, multiples of the tower's input size) by best fit: the most
 * effective resolution (the pixels of the image that survive scaling it into the resolution, at
 * most its own), then the least waste (the resolution's pixels left unused). The tiles' features are
 * laid out as one map in grid order, the rows and columns that only hold padding are removed, and a
 * learned newline embedding ends each row of the map; the base view's tokens come first. This is
 * {@code select_best_resolution}, {@code get_anyres_image_grid_shape}, {@code unpad_image} and {@code
 * pack_image_features} of HuggingFace's LLaVA-NeXT.
 */
public final class AnyRes {
  private AnyRes() {}

  /** The chosen resolution: {@code height x width} pixels, {@code rows x columns} tiles. */
  public record Grid(int height, int width, int rows, int columns) {
    public int tiles() {
      return rows * columns;
    }
  }

  /**
   * Which tokens of the tiles' feature map survive (rows {@code [top, bottom)}, columns {@code [left,
   * right)} of the {@code rows * side} by {@code columns * side} map), and the image's token count.
   *
   * @param side tokens along a tile's side
   * @param baseTokens tokens of the base view
   */
  public record Layout(Grid grid, int side, int top, int bottom, int left, int right, int baseTokens) {
    /** Tokens of the image: the base view, then each kept row of the map and its newline. */
    public int tokens() {
      return baseTokens + (bottom - top) * (right - left + 1);
    }
  }

  /** Checks pinpoints: each {@code [height, width]}, positive multiples of {@code tile}; an unmodifiable copy. */
  public static List<List<Integer>> checkPinpoints(List<List<Integer>> pinpoints, int tile) {
    if (pinpoints.isEmpty()) {
      throw new IllegalArgumentException("AnyRes needs at least one resolution (imageGridPinpoints)");
    }
    List<List<Integer>> out = new ArrayList<>();
    for (List<Integer> p : pinpoints) {
      if (p == null || p.size() != 2 || p.get(0) == null || p.get(1) == null || p.get(0) <= 0 || p.get(1) <= 0
          || p.get(0) % tile != 0 || p.get(1) % tile != 0) {
        throw new IllegalArgumentException("AnyRes resolutions must be [height, width], positive multiples of the tower's"
            + " input size " + tile + ", got " + p);
      }
      out.add(List.copyOf(p));
    }
    return List.copyOf(out);
  }

  /** The best-fitting resolution for an image of {@code height x width} (see the class comment). */
  public static Grid select(int height, int width, List<List<Integer>> pinpoints, int tile) {
    Grid best = null;
    long bestEffective = -1;
    long leastWaste = Long.MAX_VALUE;
    for (List<Integer> p : pinpoints) {
      int h = p.get(0);
      int w = p.get(1);
      double scale = Math.min((double) w / width, (double) h / height);
      long scaledWidth = (long) (width * scale);
      long scaledHeight = (long) (height * scale);
      long effective = Math.min(scaledWidth * scaledHeight, (long) width * height);
      long waste = (long) w * h - effective;
      if (effective > bestEffective || (effective == bestEffective && waste < leastWaste)) {
        bestEffective = effective;
        leastWaste = waste;
        best = new Grid(h, w, h / tile, w / tile);
      }
    }
    return best;
  }

  /**
   * The layout of an image of {@code height x width} on {@code grid}: the padding that fitting the
   * image into the grid's resolution added is removed from the feature map ({@code unpad_image}).
   *
   * @param side tokens along a tile's side
   * @param baseTokens tokens of the base view
   */
  public static Layout layout(int height, int width, Grid grid, int side, int baseTokens) {
    int mapHeight = grid.rows() * side;
    int mapWidth = grid.columns() * side;
    double aspect = (double) width / height;
    double mapAspect = (double) mapWidth / mapHeight;
    if (aspect > mapAspect) { // wider than the map: padding above and below
      int kept = truncated(height * ((double) mapWidth / width));
      int padding = (mapHeight - kept) / 2;
      return new Layout(grid, side, padding, mapHeight - padding, 0, mapWidth, baseTokens);
    }
    int kept = truncated(width * ((double) mapHeight / height));
    int padding = (mapWidth - kept) / 2;
    return new Layout(grid, side, 0, mapHeight, padding, mapWidth - padding, baseTokens);
  }

  // Python's int(round(x, 7)): rounded to 7 decimals, then truncated
  private static int truncated(double x) {
    return (int) (Math.round(x * 1e7) / 1e7);
  }

  /**
   * One image's visual tokens: the base view's, then the tiles' map (kept rows and columns) with
   * {@code newline} after each row.
   *
   * @param base [N, D] tokens of the base view
   * @param tiles [rows*columns, side*side, D] tokens of each tile, row by row
   * @param newline [D] the learned row end
   * @return [layout.tokens(), D]
   */
  public static NDArray pack(NDArray base, NDArray tiles, Layout layout, NDArray newline) {
    Grid g = layout.grid();
    int side = layout.side();
    long d = tiles.getShape().get(2);
    NDArray map = tiles.reshape(g.rows(), g.columns(), side, side, d)   // [R, C, s, s, D]
        .transpose(0, 2, 1, 3, 4)                                        // [R, s, C, s, D]
        .reshape((long) g.rows() * side, (long) g.columns() * side, d);  // [R*s, C*s, D]
    NDArray kept = map.get(layout.top() + ":" + layout.bottom() + ", " + layout.left() + ":" + layout.right() + ", :");
    long rows = layout.bottom() - layout.top();
    NDArray ends = newline.reshape(1, 1, d).repeat(0, rows);             // [rows, 1, D]
    NDArray withEnds = kept.concat(ends, 1);                             // [rows, cols + 1, D]
    return base.concat(withEnds.reshape(-1, d), 0);
  }
}
