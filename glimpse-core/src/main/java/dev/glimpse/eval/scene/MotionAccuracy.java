package dev.glimpse.eval.scene;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.glimpse.data.synth.Clip;
import dev.glimpse.data.synth.ColorName;
import dev.glimpse.data.synth.Motion;
import dev.glimpse.data.synth.ShapeKind;
import dev.glimpse.data.synth.SizeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads video captions back into (motion, object) and scores them against the clips.
 *
 * <p>Parsing ({@link #parse}): a change verb (turns, becomes, changes, changing, "at first … at the
 * end") makes a COLOR_CHANGE whose new color is the last color word (and whose first color is the
 * first color word, if there are two); otherwise "appears", "shows up", "pops into view" make
 * APPEAR; otherwise the direction is read from "from X to Y" (the Y side: right → RIGHT, top → UP,
 * ...) or the first of right/rightward, left/leftward, up/upward/top, down/downward/bottom. The
 * object is the first shape word, the first color word and the first size word.
 *
 * <p>Scores: {@code motion_accuracy} is the fraction of clips whose caption has the right motion
 * (for a color change, also the right new color); {@code object_accuracy} the fraction whose
 * caption names the object's shape and its (first) color.
 */
public final class MotionAccuracy {
  private static final Set<String> CHANGE_WORDS =
      Set.of("turns", "turn", "turned", "turning", "becomes", "become", "became", "becoming", "changes",
          "change", "changed", "changing");
  private static final Set<String> APPEAR_WORDS = Set.of("appears", "appear", "appeared", "appearing", "pops");

  private MotionAccuracy() {}

  /** What a caption says; unknown parts are null. */
  public record ParsedMotion(Motion motion, ShapeKind shape, ColorName color, SizeKind size, ColorName toColor) {}

  /** The scores. */
  public record Result(int clips, double motionAccuracy, double objectAccuracy, int moveClips, int appearClips,
      int colorChangeClips) {
    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      put(json, "motion_accuracy", motionAccuracy);
      put(json, "object_accuracy", objectAccuracy);
      json.addProperty("clips", clips);
      json.addProperty("move_clips", moveClips);
      json.addProperty("appear_clips", appearClips);
      json.addProperty("color_change_clips", colorChangeClips);
      return json;
    }

    private static void put(JsonObject json, String key, double value) {
      if (Double.isNaN(value)) {
        json.add(key, JsonNull.INSTANCE);
      } else {
        json.addProperty(key, value);
      }
    }
  }

  public static ParsedMotion parse(String caption) {
    List<String> words = new ArrayList<>();
    for (String w : (caption == null ? "" : caption).toLowerCase(Locale.ROOT).split("[^a-z]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    ShapeKind shape = null;
    SizeKind size = null;
    List<ColorName> colors = new ArrayList<>();
    boolean change = false;
    boolean appear = false;
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (shape == null && ShapeKind.fromWord(w) != null) {
        shape = ShapeKind.fromWord(w);
      }
      if (size == null && SizeKind.fromWord(w) != null) {
        size = SizeKind.fromWord(w);
      }
      if (ColorName.fromWord(w) != null) {
        colors.add(ColorName.fromWord(w));
      }
      change |= CHANGE_WORDS.contains(w) || (w.equals("first") && i > 0 && words.get(i - 1).equals("at"));
      appear |= APPEAR_WORDS.contains(w)
          || (w.equals("up") && i > 0 && words.get(i - 1).startsWith("show"))
          || (w.equals("view") && i > 0 && words.get(i - 1).equals("into"));
    }
    ColorName first = colors.isEmpty() ? null : colors.get(0);
    if (change) {
      ColorName to = colors.isEmpty() ? null : colors.get(colors.size() - 1);
      return new ParsedMotion(Motion.COLOR_CHANGE, shape, colors.size() >= 2 ? first : null, size, to);
    }
    if (appear) {
      return new ParsedMotion(Motion.APPEAR, shape, first, size, null);
    }
    return new ParsedMotion(direction(words), shape, first, size, null);
  }

  private static Motion direction(List<String> words) {
    for (int i = 0; i + 1 < words.size(); i++) {
      if (words.get(i).equals("from")) {
        for (int j = i + 1; j < Math.min(words.size(), i + 6); j++) {
          if (words.get(j).equals("to") && j + 1 < words.size()) {
            String target = words.get(j + 1).equals("the") && j + 2 < words.size() ? words.get(j + 2) : words.get(j + 1);
            Motion m = side(target);
            if (m != null) {
              return m;
            }
          }
        }
      }
    }
    for (String w : words) {
      Motion m = side(w);
      if (m != null) {
        return m;
      }
    }
    return null;
  }

  private static Motion side(String w) {
    return switch (w) {
      case "right", "rightward", "rightwards" -> Motion.RIGHT;
      case "left", "leftward", "leftwards" -> Motion.LEFT;
      case "up", "upward", "upwards", "top" -> Motion.UP;
      case "down", "downward", "downwards", "bottom" -> Motion.DOWN;
      default -> null;
    };
  }

  public static Result evaluate(List<Clip> clips, List<String> captions) {
    if (clips.size() != captions.size()) {
      throw new IllegalArgumentException(
          clips.size() + " clips but " + captions.size() + " captions; expected one caption per clip");
    }
    int motionRight = 0;
    int objectRight = 0;
    int moves = 0;
    int appears = 0;
    int changes = 0;
    for (int i = 0; i < clips.size(); i++) {
      Clip clip = clips.get(i);
      ParsedMotion p = parse(captions.get(i));
      boolean motion = p.motion() == clip.motion()
          && (clip.motion() != Motion.COLOR_CHANGE || p.toColor() == clip.toColor());
      motionRight += motion ? 1 : 0;
      objectRight += p.shape() == clip.object().shape() && p.color() == clip.object().color() ? 1 : 0;
      moves += clip.motion().isMove() ? 1 : 0;
      appears += clip.motion() == Motion.APPEAR ? 1 : 0;
      changes += clip.motion() == Motion.COLOR_CHANGE ? 1 : 0;
    }
    int n = clips.size();
    return new Result(n, n == 0 ? Double.NaN : (double) motionRight / n, n == 0 ? Double.NaN : (double) objectRight / n,
        moves, appears, changes);
  }
}
