package dev.glimpse.data.synth;

import java.util.Locale;

/**
 * Where a single object sits in the image, judged from its centre {@code (u, v)} in normalised
 * coordinates (0..1, v down): see {@link #of(double, double)}.
 */
public enum Position {
  LEFT("on the left"),
  RIGHT("on the right"),
  TOP("at the top"),
  BOTTOM("at the bottom"),
  CENTER("in the center");

  /**
   * Centres within this distance of 0.5 on both axes are CENTER. The generator keeps CENTER objects
   * within {@link #GENERATED_CENTER_SPREAD} and other positions at least {@link
   * #GENERATED_MIN_OFFSET} off-centre, so generated scenes are never near a class boundary.
   */
  public static final double CENTER_RADIUS = 0.10;

  /** Generated CENTER objects have |u - 0.5| and |v - 0.5| at most this. */
  public static final double GENERATED_CENTER_SPREAD = 0.05;
  /** Generated LEFT/RIGHT/TOP/BOTTOM objects are at least this far off-centre on their axis. */
  public static final double GENERATED_MIN_OFFSET = 0.15;
  /** ...and at most this far off-centre on the other axis. */
  public static final double GENERATED_MAX_CROSS_OFFSET = 0.07;

  private final String phrase;

  Position(String phrase) {
    this.phrase = phrase;
  }

  /** The canonical caption phrase, e.g. "on the left", "in the center". */
  public String phrase() {
    return phrase;
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The position of a centre: CENTER when both offsets from 0.5 are within {@link #CENTER_RADIUS},
   * otherwise the side of the larger offset (LEFT/RIGHT if |u - 0.5| ≥ |v - 0.5|, else TOP/BOTTOM).
   */
  public static Position of(double u, double v) {
    double du = u - 0.5;
    double dv = v - 0.5;
    if (Math.abs(du) <= CENTER_RADIUS && Math.abs(dv) <= CENTER_RADIUS) {
      return CENTER;
    }
    if (Math.abs(du) >= Math.abs(dv)) {
      return du < 0 ? LEFT : RIGHT;
    }
    return dv < 0 ? TOP : BOTTOM;
  }

  /** Parses "left", "right", "top", "bottom", "center"/"centre"/"middle"; null otherwise. */
  public static Position fromWord(String word) {
    return switch (word.toLowerCase(Locale.ROOT)) {
      case "left" -> LEFT;
      case "right" -> RIGHT;
      case "top" -> TOP;
      case "bottom" -> BOTTOM;
      case "center", "centre", "middle" -> CENTER;
      default -> null;
    };
  }
}
