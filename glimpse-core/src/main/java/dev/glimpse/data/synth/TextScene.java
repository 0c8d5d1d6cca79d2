package dev.glimpse.data.synth;

import dev.glimpse.data.Annotation;

/**
 * One scene-text image: a word on a sign (a filled, possibly rounded rectangle) over a background.
 * Coordinates are pixels. The text box is the word's logical box (advance width × line height) on
 * the sign; the sign adds {@code padding} on every side; both are rotated by {@code rotation}
 * degrees (clockwise) around {@code (centerX, centerY)}.
 *
 * @param width image width
 * @param height image height
 * @param background what is behind the sign
 * @param word the word, lower case (the ground truth for OCR and answers)
 * @param shown the word as printed: lower case, UPPER CASE or Capitalised
 * @param font a logical font name (Serif, SansSerif, Monospaced, Dialog, DialogInput)
 * @param fontStyle {@link java.awt.Font} style bits (plain, bold, italic)
 * @param signColor the sign's named color
 * @param signRgb the sign's fill (0xRRGGBB)
 * @param textRgb the letters' fill: near black or near white, whichever stands out on the sign
 * @param rounded whether the sign has rounded corners
 * @param centerX centre x of sign and text
 * @param centerY centre y of sign and text
 * @param textWidth width of the (unrotated) text box
 * @param textHeight height of the text box
 * @param padding sign margin around the text box
 * @param rotation degrees, clockwise, within ±15
 * @param antialias whether edges are antialiased
 * @param noiseAmplitude largest per-channel pixel noise (0 = none)
 * @param noiseSeed seed of the noise and background texture
 */
public record TextScene(
    int width,
    int height,
    Background background,
    String word,
    String shown,
    String font,
    int fontStyle,
    ColorName signColor,
    int signRgb,
    int textRgb,
    boolean rounded,
    double centerX,
    double centerY,
    double textWidth,
    double textHeight,
    double padding,
    double rotation,
    boolean antialias,
    int noiseAmplitude,
    long noiseSeed) {
  /** The annotation of an example drawn from this textScene. */
  public static final Annotation<TextScene> KEY = Annotation.named("text_scene");


  public TextScene {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (word == null || word.isEmpty() || shown == null || shown.length() != word.length()) {
      throw new IllegalArgumentException("word and shown must be non-empty and the same length");
    }
    if (!(textWidth > 0 && textHeight > 0 && padding >= 0)) {
      throw new IllegalArgumentException("text box must have a positive size");
    }
  }

  /** "black" or "white": the color word of the letters. */
  public String textColorWord() {
    return ((textRgb >> 16) & 0xFF) > 127 ? "white" : "black";
  }

  /** Corners of the rotated text box, clockwise from top-left: {x0, y0, x1, y1, x2, y2, x3, y3}. */
  public double[] textCorners() {
    return corners(textWidth, textHeight);
  }

  /** Corners of the rotated sign. */
  public double[] signCorners() {
    return corners(textWidth + 2 * padding, textHeight + 2 * padding);
  }

  /** Axis-aligned pixel box around the rotated text box, clipped to the image. */
  public Box textBox() {
    return boxAround(textCorners());
  }

  /** Axis-aligned pixel box around the rotated sign, clipped to the image. */
  public Box signBox() {
    return boxAround(signCorners());
  }

  private double[] corners(double w, double h) {
    double angle = StrictMath.toRadians(rotation);
    double cos = StrictMath.cos(angle);
    double sin = StrictMath.sin(angle);
    double[][] local = {{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}};
    double[] out = new double[8];
    // StrictMath so the corners are identical on every platform.
    for (int i = 0; i < 4; i++) {
      out[2 * i] = centerX + local[i][0] * cos - local[i][1] * sin;
      out[2 * i + 1] = centerY + local[i][0] * sin + local[i][1] * cos;
    }
    return out;
  }

  private Box boxAround(double[] corners) {
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < 8; i += 2) {
      minX = Math.min(minX, corners[i]);
      maxX = Math.max(maxX, corners[i]);
      minY = Math.min(minY, corners[i + 1]);
      maxY = Math.max(maxY, corners[i + 1]);
    }
    int x0 = Math.max(0, (int) Math.floor(minX));
    int y0 = Math.max(0, (int) Math.floor(minY));
    int x1 = Math.min(width, (int) Math.ceil(maxX));
    int y1 = Math.min(height, (int) Math.ceil(maxY));
    return new Box(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
  }
}
