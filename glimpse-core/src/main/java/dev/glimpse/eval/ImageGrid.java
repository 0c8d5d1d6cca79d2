package dev.glimpse.eval;

import dev.glimpse.util.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG grid of images: one row per item (a prompt, an input image), one column per image of it,
 * every tile scaled up by whole pixels (nearest neighbour: small generated images stay crisp), with
 * optional column headings and a label under each row.
 */
public final class ImageGrid {
  private static final int GAP = 4;
  private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

  private ImageGrid() {}

  /** One row: its tiles and the text under them (may be null). */
  public record Row(List<BufferedImage> tiles, String label) {}

  /**
   * Writes the grid to {@code png} atomically.
   *
   * @param columns headings of the columns, or null for none
   * @param tileSize side of a tile in the PNG (each image is scaled to fit it)
   */
  public static void write(Path png, List<String> columns, List<Row> rows, int tileSize) {
    BufferedImage grid = render(columns, rows, tileSize);
    AtomicFiles.write(png, out -> ImageIO.write(grid, "png", out));
  }

  /** The grid as an image. */
  public static BufferedImage render(List<String> columns, List<Row> rows, int tileSize) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a grid needs at least one row");
    }
    int cols = rows.stream().mapToInt(r -> r.tiles().size()).max().orElse(1);
    boolean labels = rows.stream().anyMatch(r -> r.label() != null && !r.label().isEmpty());
    int lineHeight = 14;
    int heading = columns == null ? 0 : lineHeight + GAP;
    int labelHeight = labels ? lineHeight : 0;
    int width = GAP + cols * (tileSize + GAP);
    int height = heading + GAP + rows.size() * (tileSize + labelHeight + GAP);
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(FONT);
      FontMetrics metrics = g.getFontMetrics();
      g.setColor(Color.DARK_GRAY);
      if (columns != null) {
        for (int c = 0; c < columns.size() && c < cols; c++) {
          g.drawString(fit(columns.get(c), tileSize, metrics), GAP + c * (tileSize + GAP), GAP + metrics.getAscent());
        }
      }
      int y = heading + GAP;
      for (Row row : rows) {
        for (int c = 0; c < row.tiles().size(); c++) {
          g.drawImage(row.tiles().get(c), GAP + c * (tileSize + GAP), y, tileSize, tileSize, null);
        }
        if (row.label() != null && !row.label().isEmpty()) {
          g.setColor(Color.DARK_GRAY);
          g.drawString(fit(row.label(), width - 2 * GAP, metrics), GAP, y + tileSize + metrics.getAscent());
        }
        y += tileSize + labelHeight + GAP;
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  // the text, cut with an ellipsis to fit the width
  private static String fit(String text, int width, FontMetrics metrics) {
    if (metrics.stringWidth(text) <= width) {
      return text;
    }
    String cut = text;
    while (!cut.isEmpty() && metrics.stringWidth(cut + "...") > width) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "...";
  }
}
