package dev.glimpse.data.synth;

import java.util.Locale;

/**
 * Object size relative to the image's shorter side {@code s}: the nominal radius (see {@link
 * ShapeKind}) of a SMALL object is 0.10–0.13 s, of a LARGE one 0.19–0.24 s, so the smallest large
 * object is 1.46 times the largest small one.
 */
public enum SizeKind {
  SMALL(0.10, 0.13, "small", "little"),
  LARGE(0.19, 0.24, "large", "big");

  private final double minRadius;
  private final double maxRadius;
  private final String word;
  private final String synonym;

  SizeKind(double minRadius, double maxRadius, String word, String synonym) {
    this.minRadius = minRadius;
    this.maxRadius = maxRadius;
    this.word = word;
    this.synonym = synonym;
  }

  /** Smallest nominal radius, as a fraction of the image's shorter side. */
  public double minRadius() {
    return minRadius;
  }

  /** Largest nominal radius, as a fraction of the image's shorter side. */
  public double maxRadius() {
    return maxRadius;
  }

  /** The canonical caption word: "small" or "large". */
  public String word() {
    return word;
  }

  /** The other word used in some references: "little" or "big". */
  public String synonym() {
    return synonym;
  }

  /** Parses "small", "little", "tiny", "large", "big", "huge"; null for anything else. */
  public static SizeKind fromWord(String word) {
    return switch (word.toLowerCase(Locale.ROOT)) {
      case "small", "little", "tiny" -> SMALL;
      case "large", "big", "huge" -> LARGE;
      default -> null;
    };
  }
}
