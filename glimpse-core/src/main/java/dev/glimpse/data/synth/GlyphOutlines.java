package dev.glimpse.data.synth;

import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;

/**
 * Text as a filled outline fitted into a given box. Uses the JDK's logical fonts (Serif, SansSerif,
 * Monospaced, Dialog, DialogInput); a JVM without usable fonts (a headless install without
 * fontconfig) falls back to a built-in 5×7 capital-letter pixel font, so scene text always renders.
 * Either way the text's logical box (advance width × line height) is mapped exactly onto the box
 * requested, so the ground-truth box does not depend on which physical font a machine has.
 */
final class GlyphOutlines {
  /** The logical fonts every JDK provides. */
  static final List<String> LOGICAL_FONTS = List.of("Serif", "SansSerif", "Monospaced", "Dialog", "DialogInput");

  private static final FontRenderContext CONTEXT = new FontRenderContext(null, true, true);
  private static volatile Boolean fontsWork;

  private GlyphOutlines() {}

  /** The outline of {@code text} stretched so its logical box fills {@code box}. */
  static Shape fitted(String text, String fontName, int style, Rectangle2D box) {
    Shape outline = null;
    Rectangle2D logical = null;
    if (fontsWork()) {
      try {
        GlyphVector glyphs = new Font(fontName, style, 100).createGlyphVector(CONTEXT, text);
        outline = glyphs.getOutline();
        logical = glyphs.getLogicalBounds();
      } catch (RuntimeException | LinkageError | InternalError e) {
        fontsWork = false;
      }
    }
    if (outline == null || logical == null || logical.getWidth() <= 0) {
      outline = pixelFont(text);
      logical = new Rectangle2D.Double(0, 0, text.length() * 6.0, 9.0);
    }
    AffineTransform fit = new AffineTransform();
    fit.translate(box.getX(), box.getY());
    fit.scale(box.getWidth() / logical.getWidth(), box.getHeight() / logical.getHeight());
    fit.translate(-logical.getX(), -logical.getY());
    return fit.createTransformedShape(outline);
  }

  /** Whether the JDK can make glyphs here (checked once). */
  static boolean fontsWork() {
    Boolean works = fontsWork;
    if (works == null) {
      try {
        GlyphVector probe = new Font("SansSerif", Font.PLAIN, 12).createGlyphVector(CONTEXT, "ok");
        works = probe.getOutline() != null && probe.getLogicalBounds().getWidth() > 0;
      } catch (RuntimeException | LinkageError | InternalError e) {
        works = false;
      }
      fontsWork = works;
    }
    return works;
  }

  /** Capitals of the 5×7 pixel font: 7 rows of 5 cells per letter, '#' = ink. */
  private static final String[] PIXEL_LETTERS = {
    ".###.#...##...#######...##...##...#", "####.#...##...#####.#...##...#####.",
    ".###.#...##....#....#....#...#.###.", "####.#...##...##...##...##...#####.",
    "######....#....####.#....#....#####", "######....#....####.#....#....#....",
    ".###.#...##....#.####...##...#.####", "#...##...##...#######...##...##...#",
    ".###...#....#....#....#....#...###.", "..###...#....#....#....##..#..##...",
    "#...##..#.#.#..##...#.#..#..#.#...#", "#....#....#....#....#....#....#####",
    "#...###.###.#.##.#.##...##...##...#", "#...##...###..##.#.##..###...##...#",
    ".###.#...##...##...##...##...#.###.", "####.#...##...#####.#....#....#....",
    ".###.#...##...##...##.#.##..#..##.#", "####.#...##...#####.#.#..#..#.#...#",
    ".#####....#.....###.....#....#####.", "#####..#....#....#....#....#....#..",
    "#...##...##...##...##...##...#.###.", "#...##...##...##...##...#.#.#...#..",
    "#...##...##...##.#.##.#.##.#.#.#.#.", "#...##...#.#.#...#...#.#.#...##...#",
    "#...##...#.#.#...#....#....#....#..", "#####....#...#...#...#...#....#####",
  };

  /** Letters as unit cells: 6 columns per letter (one blank), 9 rows (one blank above and below). */
  static Shape pixelFont(String text) {
    Path2D.Double path = new Path2D.Double();
    String upper = text.toUpperCase(Locale.ROOT);
    for (int i = 0; i < upper.length(); i++) {
      char c = upper.charAt(i);
      if (c < 'A' || c > 'Z') {
        continue;
      }
      String cells = PIXEL_LETTERS[c - 'A'];
      for (int row = 0; row < 7; row++) {
        for (int col = 0; col < 5; col++) {
          if (cells.charAt(row * 5 + col) == '#') {
            path.append(new Rectangle2D.Double(i * 6 + col + 0.5, row + 1, 1, 1), false);
          }
        }
      }
    }
    return path;
  }
}
