package dev.glimpse.data.synth;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;
import java.util.Locale;

/**
 * Scene text: one word of 3–8 letters from {@link #WORDS} on a colored sign, in one of the JDK's
 * logical fonts (plain, bold, italic), printed in lower case, upper case or capitalised; text
 * height 8–28% of the shorter side (at least 8 px, so small text occurs), rotated by up to ±15° in
 * half of the images; images 64–224 px, square, wide or tall (aspect up to 2). Backgrounds, noise and
 * antialiasing follow the {@link SceneConfig}. Deterministic by (seed, split, index) like {@link
 * SceneGenerator}, on its own stream ("scenetext"); the ground truth (word, boxes) is identical on
 * every machine, while the glyph pixels depend on the fonts the JDK finds.
 */
public final class SceneTextGenerator {
  /** Task name of this generator's random stream. */
  public static final String TASK = "scenetext";

  /** The fixed word list: 3–8 lower-case letters. */
  public static final List<String> WORDS = List.of(
      "open", "stop", "exit", "cafe", "hotel", "bank", "sale", "taxi", "park", "shop",
      "pizza", "books", "music", "bakery", "garden", "museum", "school", "market", "station", "library",
      "coffee", "fresh", "welcome", "danger", "closed", "push", "pull", "north", "south", "east",
      "west", "river", "bridge", "tower", "ocean", "forest", "apple", "lemon", "bread", "cheese",
      "water", "fire", "police", "doctor", "pharmacy", "cinema", "theater", "airport", "harbor", "garage",
      "office", "kitchen", "studio", "gallery", "bicycle", "parking", "ticket", "island", "valley", "castle",
      "dragon", "rocket", "planet", "silver", "golden", "winter", "summer", "spring", "autumn", "morning",
      "night", "star", "moon", "sun", "sky", "tea", "zoo", "gym", "bar", "inn",
      "yoga", "jazz", "salon", "motel", "diner", "pasta", "sushi", "tacos", "donut", "juice",
      "flower", "violin", "guitar", "piano", "camera", "laptop", "pencil", "paper", "mail", "post");

  /** Fraction of the character height one letter is wide, per font family, for the text box. */
  private static final double WIDE_FONT_ASPECT = 0.62;
  private static final double NARROW_FONT_ASPECT = 0.56;
  private static final double MIN_TEXT_PX = 8;
  private static final String PLAIN_FONT = "SansSerif";

  /**
   * Canvas shapes and text sizes.
   *
   * @param squareProbability fraction of square images; the rest are wide or tall in equal parts
   * @param minAspect smallest long/short side ratio of non-square images
   * @param maxAspect largest ratio
   * @param minTextFraction smallest text height as a fraction of the shorter side (at least 8 px)
   * @param maxTextFraction largest
   * @param plain every word in lower case, in the plain SansSerif font, upright (no rotation)
   */
  public record Layout(double squareProbability, double minAspect, double maxAspect, double minTextFraction,
      double maxTextFraction, boolean plain) {
    /** The default mix: 40% square, aspect 1.2–2, text 8–28% of the shorter side. */
    public static final Layout DEFAULT = new Layout(0.4, 1.2, 2.0, 0.08, 0.28);
    /**
     * Clean close-ups of a sign, like the cropped words of text-recognition data: square canvas, text
     * 40–60% of the side (as large as the word fits), lower case, plain SansSerif, upright. A small
     * reader learns letters from these far sooner than from the default mix, so mixing them in
     * starts the reading (see docs/experiments/scene-text-reading.md).
     */
    public static final Layout CLEAN_CLOSE_UP = new Layout(1.0, 1.2, 2.0, 0.4, 0.6, true);
    /**
     * Only wide and tall images (aspect 2–3) with small text (8–16% of the shorter side): detail that a
     * square, letterboxed input shrinks away (GenLIP native-resolution comparison).
     */
    public static final Layout WIDE_TALL_SMALL_TEXT = new Layout(0, 2.0, 3.0, 0.08, 0.16);

    public Layout {
      if (squareProbability < 0 || squareProbability > 1) {
        throw new IllegalArgumentException("squareProbability must be in [0, 1], got " + squareProbability);
      }
      if (!(minAspect >= 1 && maxAspect >= minAspect)) {
        throw new IllegalArgumentException("need 1 <= minAspect <= maxAspect, got " + minAspect + ", " + maxAspect);
      }
      if (!(minTextFraction > 0 && maxTextFraction >= minTextFraction && maxTextFraction < 1)) {
        throw new IllegalArgumentException("need 0 < minTextFraction <= maxTextFraction < 1, got " + minTextFraction
            + ", " + maxTextFraction);
      }
    }

    /** A layout with the varied fonts, cases and rotations. */
    public Layout(double squareProbability, double minAspect, double maxAspect, double minTextFraction,
        double maxTextFraction) {
      this(squareProbability, minAspect, maxAspect, minTextFraction, maxTextFraction, false);
    }
  }

  private final SceneConfig config;
  private final SceneGenerator scenes;
  private final Layout layout;

  public SceneTextGenerator(SceneConfig config) {
    this(config, Layout.DEFAULT);
  }

  public SceneTextGenerator(SceneConfig config, Layout layout) {
    this.config = config;
    this.scenes = new SceneGenerator(config);
    this.layout = layout;
  }

  public SceneConfig config() {
    return config;
  }

  public TextScene scene(Split split, long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be non-negative: " + index);
    }
    SceneRandom random = scenes.random(TASK, split, index);
    for (int attempt = 0; attempt < 10_000; attempt++) {
      TextScene scene = trySample(random);
      if (scene != null) {
        return scene;
      }
    }
    throw new IllegalStateException("could not place a sign");
  }

  private TextScene trySample(SceneRandom random) {
    int longSide = random.intBetween(config.minSide(), config.maxSide());
    int width = longSide;
    int height = longSide;
    double shape = random.nextDouble();
    if (shape >= layout.squareProbability()) {
      int shortSide = Math.max(config.minSide(),
          (int) Math.round(longSide / random.uniform(layout.minAspect(), layout.maxAspect())));
      if (shape < layout.squareProbability() + (1 - layout.squareProbability()) / 2) {
        height = shortSide;
      } else {
        width = shortSide;
      }
    }
    String word = random.pick(WORDS);
    double caseDraw = random.nextDouble();
    String shown = caseDraw < 0.5 ? word
        : caseDraw < 0.8 ? word.toUpperCase(Locale.ROOT)
        : Character.toUpperCase(word.charAt(0)) + word.substring(1);
    String font = random.pick(GlyphOutlines.LOGICAL_FONTS);
    int style = random.pick(List.of(Font.PLAIN, Font.BOLD, Font.ITALIC, Font.BOLD | Font.ITALIC));
    double rotation = random.chance(0.5) ? random.uniform(-15, 15) : 0;
    if (layout.plain()) { // after the draws, so the rest of the scene is drawn as in the varied layout
      shown = word;
      font = PLAIN_FONT;
      style = Font.PLAIN;
      rotation = 0;
    }
    boolean wide = font.equals("Monospaced") || font.equals("DialogInput") || !shown.equals(word);
    double letterAspect = wide ? WIDE_FONT_ASPECT : NARROW_FONT_ASPECT;
    int shorter = Math.min(width, height);
    double margin = Math.max(2, SceneGenerator.MARGIN * shorter);
    double textHeight = Math.max(MIN_TEXT_PX, random.uniform(layout.minTextFraction(), layout.maxTextFraction()) * shorter);
    double padding = 0.35 * textHeight;
    // Shrink until the rotated sign fits.
    double cos = Math.abs(StrictMath.cos(StrictMath.toRadians(rotation)));
    double sin = Math.abs(StrictMath.sin(StrictMath.toRadians(rotation)));
    double signW = textHeight * letterAspect * word.length() + 2 * padding;
    double signH = textHeight + 2 * padding;
    double spanX = signW * cos + signH * sin;
    double spanY = signW * sin + signH * cos;
    double scale = Math.min(1, Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY));
    textHeight *= scale;
    if (textHeight < MIN_TEXT_PX) {
      return null;
    }
    padding = 0.35 * textHeight;
    double textWidth = textHeight * letterAspect * word.length();
    spanX *= scale;
    spanY *= scale;
    double centerX = random.uniform(margin + spanX / 2, width - margin - spanX / 2);
    double centerY = random.uniform(margin + spanY / 2, height - margin - spanY / 2);
    ColorName signColor = random.pick(config.colors());
    int signRgb = signColor.sample(random);
    Background background = null;
    for (int tries = 0; tries < 50 && background == null; tries++) {
      Background b = Background.sample(random, config);
      if (b.distanceTo(signRgb) >= SceneGenerator.MIN_CONTRAST) {
        background = b;
      }
    }
    if (background == null) {
      return null;
    }
    int textRgb = luminance(signRgb) > 140 ? 0x141414 : 0xF5F5F5;
    boolean rounded = random.chance(0.5);
    boolean antialias = random.chance(config.antialiasProbability());
    int noise = 0;
    if (random.chance(config.noiseProbability())) {
      int max = (int) Math.round(config.noiseLevel() * 255);
      noise = max < 1 ? 0 : random.intBetween(Math.min(2, max), max);
    }
    return new TextScene(width, height, background, word, shown, font, style, signColor, signRgb, textRgb,
        rounded, centerX, centerY, textWidth, textHeight, padding, rotation, antialias, noise, random.nextLong());
  }

  private static double luminance(int rgb) {
    return 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
  }

  /** The image (TYPE_INT_RGB). */
  public BufferedImage render(TextScene scene) {
    int width = scene.width();
    int height = scene.height();
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    SceneRenderer.fillBackground(pixels, width, height, scene.background(), scene.noiseSeed());
    Graphics2D g = image.createGraphics();
    try {
      Object aa = scene.antialias() ? RenderingHints.VALUE_ANTIALIAS_ON : RenderingHints.VALUE_ANTIALIAS_OFF;
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.transform(AffineTransform.getRotateInstance(
          StrictMath.toRadians(scene.rotation()), scene.centerX(), scene.centerY()));
      double signW = scene.textWidth() + 2 * scene.padding();
      double signH = scene.textHeight() + 2 * scene.padding();
      double x = scene.centerX() - signW / 2;
      double y = scene.centerY() - signH / 2;
      Shape sign = scene.rounded()
          ? new RoundRectangle2D.Double(x, y, signW, signH, signH * 0.6, signH * 0.6)
          : new Rectangle2D.Double(x, y, signW, signH);
      g.setColor(new Color(scene.signRgb()));
      g.fill(sign);
      Rectangle2D textBox = new Rectangle2D.Double(scene.centerX() - scene.textWidth() / 2,
          scene.centerY() - scene.textHeight() / 2, scene.textWidth(), scene.textHeight());
      g.setColor(new Color(scene.textRgb()));
      g.fill(GlyphOutlines.fitted(scene.shown(), scene.font(), scene.fontStyle(), textBox));
    } finally {
      g.dispose();
    }
    if (scene.noiseAmplitude() > 0) {
      SceneRenderer.addNoise(pixels, scene.noiseAmplitude(), scene.noiseSeed());
    }
    return image;
  }

  /**
   * Six TextCaps-style references quoting the word (canonical first; "an" before "orange"): {@code a red sign that says
   * "open"}, {@code the word "open" written on a red sign}, {@code a red label with the text
   * "open"}, {@code a sign reading "open"}, {@code "open" in white letters on a red sign}, {@code an
   * image of a red sign with the word "open"}.
   */
  public List<String> captions(TextScene scene) {
    String color = scene.signColor().word();
    String word = '"' + scene.word() + '"';
    String a = CaptionGrammar.article(color);
    return List.of(
        a + " " + color + " sign that says " + word,
        "the word " + word + " written on " + a + " " + color + " sign",
        a + " " + color + " label with the text " + word,
        "a sign reading " + word,
        word + " in " + scene.textColorWord() + " letters on " + a + " " + color + " sign",
        "an image of " + a + " " + color + " sign with the word " + word);
  }
}
