package dev.glimpse.data.synth;

import java.util.Locale;

/**
 * Dataset split. Each split is its own stream of scenes: the scene at (seed, split, index) comes
 * from a seed hashed from all three (see {@link SceneGenerator#itemSeed}).
 */
public enum Split {
  TRAIN(0x7472_6169_6EL),
  VAL(0x7661_6CL),
  TEST(0x7465_7374L);

  private final long streamId;

  Split(long streamId) {
    this.streamId = streamId;
  }

  /** A fixed constant (the split name's ASCII bytes) mixed into every item seed of this split. */
  long streamId() {
    return streamId;
  }

  /** "train", "val", "test". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses "train", "val" (or "validation"), "test"; throws IllegalArgumentException otherwise. */
  public static Split parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "train" -> TRAIN;
      case "val", "validation" -> VAL;
      case "test" -> TEST;
      default -> throw new IllegalArgumentException(
          "unknown split '" + text + "' (expected train, val or test)");
    };
  }
}
