package dev.glimpse.data.synth;

import java.util.Locale;

/**
 * The shapes a scene can contain. Each is drawn around a nominal radius {@code r} (see {@link
 * SceneObject#radius()}) so that the kinds look about equally big at the same {@code r}:
 *
 * <ul>
 *   <li>CIRCLE: a disc of radius {@code r};
 *   <li>SQUARE: half-side {@code 0.9 r} (area 3.24 r², close to the disc's 3.14 r²);
 *   <li>TRIANGLE: equilateral, circumradius {@code 1.15 r}, pointing up, centroid at the centre;
 *   <li>STAR: five points, outer radius {@code 1.15 r}, inner radius half of that, pointing up.
 * </ul>
 */
public enum ShapeKind {
  CIRCLE,
  SQUARE,
  TRIANGLE,
  STAR;

  /** The word used in captions: "circle", "square", "triangle", "star". */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Radius of the smallest circle around the shape, in units of the nominal radius, any rotation. */
  public double circumradiusFactor() {
    return switch (this) {
      case CIRCLE -> 1.0;
      case SQUARE -> 0.9 * Math.sqrt(2);
      case TRIANGLE, STAR -> 1.15;
    };
  }

  /** Parses a caption word ("circle", "circles", ...) or returns null. */
  public static ShapeKind fromWord(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    if (w.endsWith("s") && w.length() > 4) {
      w = w.substring(0, w.length() - 1);
    }
    for (ShapeKind kind : values()) {
      if (kind.word().equals(w)) {
        return kind;
      }
    }
    return null;
  }
}
