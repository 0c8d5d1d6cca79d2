package dev.glimpse.data.synth;

import java.util.Locale;

/** What happens in a synthetic video clip. */
public enum Motion {
  /** The object moves left across the frames. */
  LEFT,
  RIGHT,
  UP,
  DOWN,
  /** The background is empty for the first frames, then the object is there. */
  APPEAR,
  /** The object keeps its place and shape but changes to another color midway. */
  COLOR_CHANGE;

  public boolean isMove() {
    return this == LEFT || this == RIGHT || this == UP || this == DOWN;
  }

  /** "left", "right", "up", "down", "appear", "color_change". */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
