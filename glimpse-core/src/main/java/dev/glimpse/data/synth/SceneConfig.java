package dev.glimpse.data.synth;

import java.util.List;

/**
 * How synthetic scenes are drawn. Validated on construction; a bad value fails with a message that
 * names the field. Use {@link #defaults()} and the {@code with...} copies.
 *
 * @param seed base seed; with the split and index it fixes every scene
 * @param minSide smallest image side in pixels
 * @param maxSide largest image side in pixels
 * @param squareProbability fraction of square images; the others have an aspect ratio (long side /
 *     short side) between 1.1 and {@code maxAspect}, wide or tall
 * @param maxAspect largest aspect ratio of non-square images
 * @param minObjects fewest objects per scene
 * @param maxObjects most objects per scene (at most 3)
 * @param shapes shapes to draw from
 * @param colors object colors to draw from
 * @param plainBackgroundProbability fraction of plain backgrounds
 * @param gradientBackgroundProbability fraction of gradients; the rest are textured
 * @param noiseProbability fraction of images with pixel noise
 * @param noiseLevel largest pixel noise as a fraction of 255 (per channel, uniform)
 * @param antialiasProbability fraction of images with antialiased edges
 * @param rotationProbability fraction of squares, triangles and stars that are rotated
 * @param maxRotation largest rotation in degrees (either way)
 * @param minContrast smallest RGB distance (Euclidean, 0..255 per channel) between an object's
 *     color and any background color it could touch; {@link SceneGenerator#MIN_CONTRAST} by default
 * @param tones where background tones come from: the named palette ({@link Background#TONES}) or
 *     the whole light, mid and dark range ({@link Background.Tones#WIDE})
 */
public record SceneConfig(
    long seed,
    int minSide,
    int maxSide,
    double squareProbability,
    double maxAspect,
    int minObjects,
    int maxObjects,
    List<ShapeKind> shapes,
    List<ColorName> colors,
    double plainBackgroundProbability,
    double gradientBackgroundProbability,
    double noiseProbability,
    double noiseLevel,
    double antialiasProbability,
    double rotationProbability,
    double maxRotation,
    double minContrast,
    Background.Tones tones) {

  /** The most objects a scene can have; placement and captions are designed for 1–3. */
  public static final int MAX_OBJECTS = 3;

  public SceneConfig {
    if (minSide < 32) {
      throw new IllegalArgumentException("minSide must be at least 32: " + minSide);
    }
    if (maxSide > 2048) {
      throw new IllegalArgumentException("maxSide must be at most 2048: " + maxSide);
    }
    if (maxSide < minSide) {
      throw new IllegalArgumentException(
          "maxSide (" + maxSide + ") must not be below minSide (" + minSide + ")");
    }
    probability("squareProbability", squareProbability);
    if (!(maxAspect >= 1.1 && maxAspect <= 2.0)) {
      throw new IllegalArgumentException("maxAspect must be in 1.1..2.0: " + maxAspect);
    }
    if (minObjects < 1) {
      throw new IllegalArgumentException("minObjects must be at least 1: " + minObjects);
    }
    if (maxObjects > MAX_OBJECTS) {
      throw new IllegalArgumentException("maxObjects must be at most " + MAX_OBJECTS + ": " + maxObjects);
    }
    if (maxObjects < minObjects) {
      throw new IllegalArgumentException(
          "maxObjects (" + maxObjects + ") must not be below minObjects (" + minObjects + ")");
    }
    if (shapes == null || shapes.isEmpty()) {
      throw new IllegalArgumentException("shapes must not be empty");
    }
    if (colors == null || colors.isEmpty()) {
      throw new IllegalArgumentException("colors must not be empty");
    }
    shapes = List.copyOf(shapes.stream().distinct().toList());
    colors = List.copyOf(colors.stream().distinct().toList());
    if (shapes.size() * colors.size() < maxObjects) {
      throw new IllegalArgumentException("shapes x colors must give at least maxObjects ("
          + maxObjects + ") distinct objects");
    }
    probability("plainBackgroundProbability", plainBackgroundProbability);
    probability("gradientBackgroundProbability", gradientBackgroundProbability);
    if (plainBackgroundProbability + gradientBackgroundProbability > 1 + 1e-9) {
      throw new IllegalArgumentException(
          "plainBackgroundProbability + gradientBackgroundProbability must not exceed 1");
    }
    probability("noiseProbability", noiseProbability);
    if (!(noiseLevel >= 0 && noiseLevel <= 0.25)) {
      throw new IllegalArgumentException("noiseLevel must be in 0..0.25: " + noiseLevel);
    }
    probability("antialiasProbability", antialiasProbability);
    probability("rotationProbability", rotationProbability);
    if (!(maxRotation >= 0 && maxRotation <= 30)) {
      throw new IllegalArgumentException("maxRotation must be in 0..30 degrees: " + maxRotation);
    }
    if (!(minContrast >= FLAT_MIN_CONTRAST && minContrast <= 200)) {
      throw new IllegalArgumentException("minContrast must be in " + (int) FLAT_MIN_CONTRAST + "..200: " + minContrast);
    }
    if (tones == null) {
      throw new IllegalArgumentException("tones must be set");
    }
  }

  /**
   * The contrast of {@link #flat()} scenes: a white object on light gray (#c8c8c8) or a pastel blue,
   * a black one on charcoal (#333333), still plainly visible at 48x48.
   */
  public static final double FLAT_MIN_CONTRAST = 50;

  /**
   * The default: 64–224 px, 70% square, aspect up to 1.33; 1–3 objects; all shapes and colors;
   * 60% plain, 25% gradient, 15% textured backgrounds; pixel noise (up to ±10 levels) in 30%;
   * antialiasing in half; half of the non-circles rotated by up to ±15°; seed 0.
   */
  public static SceneConfig defaults() {
    return new SceneConfig(
        0L, 64, 224, 0.7, 1.33, 1, 3,
        List.of(ShapeKind.values()), List.of(ColorName.values()),
        0.6, 0.25, 0.3, 0.04, 0.5, 0.5, 15, SceneGenerator.MIN_CONTRAST, Background.Tones.PALETTE);
  }

  /**
   * Flat drawings, as simple drawing programs make them: plain backgrounds only, drawn from the whole
   * range of light and pastel, mid and near-black tones ({@link Background.Tones#WIDE}), no pixel
   * noise, no texture or gradient, and objects as close to their background as {@value
   * #FLAT_MIN_CONTRAST} (RGB distance), so white objects appear on near-white and pastel backgrounds
   * and black ones on near-black; antialiasing and rotation as in {@link #defaults()}.
   */
  public static SceneConfig flat() {
    return defaults().withVariation(1.0, 0.0, 0.0, 0.0, 0.5, 0.5).withBackgrounds(FLAT_MIN_CONTRAST, Background.Tones.WIDE);
  }

  /**
   * Clean scenes: plain backgrounds, no noise, no rotation, antialiased (for figures and debugging;
   * training should use {@link #defaults()}).
   */
  public static SceneConfig clean() {
    return defaults().withVariation(1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
  }

  public SceneConfig withSeed(long newSeed) {
    return new SceneConfig(newSeed, minSide, maxSide, squareProbability, maxAspect, minObjects,
        maxObjects, shapes, colors, plainBackgroundProbability, gradientBackgroundProbability,
        noiseProbability, noiseLevel, antialiasProbability, rotationProbability, maxRotation, minContrast,
        tones);
  }

  public SceneConfig withSides(int newMinSide, int newMaxSide) {
    return new SceneConfig(seed, newMinSide, newMaxSide, squareProbability, maxAspect, minObjects,
        maxObjects, shapes, colors, plainBackgroundProbability, gradientBackgroundProbability,
        noiseProbability, noiseLevel, antialiasProbability, rotationProbability, maxRotation, minContrast,
        tones);
  }

  public SceneConfig withObjects(int newMinObjects, int newMaxObjects) {
    return new SceneConfig(seed, minSide, maxSide, squareProbability, maxAspect, newMinObjects,
        newMaxObjects, shapes, colors, plainBackgroundProbability, gradientBackgroundProbability,
        noiseProbability, noiseLevel, antialiasProbability, rotationProbability, maxRotation, minContrast,
        tones);
  }

  public SceneConfig withPalette(List<ShapeKind> newShapes, List<ColorName> newColors) {
    return new SceneConfig(seed, minSide, maxSide, squareProbability, maxAspect, minObjects,
        maxObjects, newShapes, newColors, plainBackgroundProbability, gradientBackgroundProbability,
        noiseProbability, noiseLevel, antialiasProbability, rotationProbability, maxRotation, minContrast,
        tones);
  }

  /** A copy with other background, noise, antialiasing and rotation settings. */
  public SceneConfig withVariation(double plain, double gradient, double noise, double newNoiseLevel,
      double antialias, double rotation) {
    return new SceneConfig(seed, minSide, maxSide, squareProbability, maxAspect, minObjects,
        maxObjects, shapes, colors, plain, gradient, noise, newNoiseLevel, antialias, rotation,
        maxRotation, minContrast, tones);
  }

  /** A copy whose objects keep {@code contrast} from backgrounds drawn from {@code newTones}. */
  public SceneConfig withBackgrounds(double contrast, Background.Tones newTones) {
    return new SceneConfig(seed, minSide, maxSide, squareProbability, maxAspect, minObjects,
        maxObjects, shapes, colors, plainBackgroundProbability, gradientBackgroundProbability,
        noiseProbability, noiseLevel, antialiasProbability, rotationProbability, maxRotation, contrast,
        newTones);
  }

  private static void probability(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(field + " must be in 0..1: " + value);
    }
  }
}
