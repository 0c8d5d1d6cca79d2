package dev.glimpse.data.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * The caption grammar: six reference captions per scene, the first canonical. All lower case, no
 * final period. An object phrase is {@code a <size> <color> <shape>} ("a large red circle"); some
 * references use the synonyms big/little and other word orders.
 *
 * <p>One object at position P (canonical phrases "on the left", "on the right", "at the top", "at
 * the bottom", "in the center"):
 *
 * <ol>
 *   <li>{@code a large red circle on the left} (canonical)
 *   <li>{@code there is a big red circle on the left side of the image}
 *   <li>{@code a red circle, large, positioned on the left}
 *   <li>{@code one large red circle at the left}
 *   <li>{@code the image shows a big red circle on the left}
 *   <li>{@code a large circle that is red, on the left}
 * </ol>
 *
 * <p>Two objects A, B in canonical order (A is left of / above B; relation R is "to the left of" or
 * "above"):
 *
 * <ol>
 *   <li>{@code a small blue square to the left of a large yellow star} (canonical: A R B)
 *   <li>{@code a large yellow star to the right of a small blue square} (B inverse(R) A)
 *   <li>{@code two shapes: a small blue square on the left and a large yellow star on the right}
 *       (vertical: "at the top" / "at the bottom")
 *   <li>{@code there is a little blue square to the left of a big yellow star}
 *   <li>{@code a large yellow star with a small blue square to its left} (vertical: "above it")
 *   <li>{@code the small blue square is left of the large yellow star} (vertical: "is above the")
 * </ol>
 *
 * <p>Three objects O1, O2, O3 left to right:
 *
 * <ol>
 *   <li>{@code three shapes: a small red circle, a large blue square and a small green star}
 *   <li>{@code there are three shapes, a little red circle, a big blue square and a little green
 *       star}
 *   <li>{@code a small red circle, a large blue square and a small green star from left to right}
 *   <li>{@code three objects from left to right: a small red circle, a large blue square and a small
 *       green star}
 *   <li>{@code an image with three shapes: a little red circle, a big blue square and a little
 *       green star}
 *   <li>{@code from right to left: a small green star, a large blue square and a small red circle}
 * </ol>
 */
public final class CaptionGrammar {
  private CaptionGrammar() {}

  /** The canonical caption (the first reference). */
  public static String canonical(Scene scene) {
    return captions(scene).get(0);
  }

  /** The six references of a scene, canonical first. */
  public static List<String> captions(Scene scene) {
    List<SceneObject> objects = scene.objects();
    return switch (objects.size()) {
      case 0 -> List.of("an empty image", "nothing but the background", "no shapes",
          "an image without shapes", "there are no objects");
      case 1 -> single(objects.get(0));
      case 2 -> pair(objects.get(0), objects.get(1));
      default -> several(objects);
    };
  }

  private static List<String> single(SceneObject o) {
    Position p = o.position();
    String size = o.size().word();
    String big = o.size().synonym();
    String color = o.color().word();
    String shape = o.shape().word();
    return List.of(
        "a " + size + " " + color + " " + shape + " " + p.phrase(),
        "there is a " + big + " " + color + " " + shape + " " + longPhrase(p),
        article(color) + " " + color + " " + shape + ", " + size + ", positioned " + p.phrase(),
        "one " + size + " " + color + " " + shape + " " + shortPhrase(p),
        "the image shows a " + big + " " + color + " " + shape + " " + p.phrase(),
        "a " + size + " " + shape + " that is " + color + ", " + p.phrase());
  }

  private static List<String> pair(SceneObject a, SceneObject b) {
    Relation r = SceneObject.relation(a, b);
    boolean horizontal = r.horizontal();
    String[] sides = horizontal
        ? new String[] {Position.LEFT.phrase(), Position.RIGHT.phrase()}
        : new String[] {Position.TOP.phrase(), Position.BOTTOM.phrase()};
    if (r == Relation.RIGHT_OF || r == Relation.BELOW) {
      sides = new String[] {sides[1], sides[0]};
    }
    String its = switch (r) {
      case LEFT_OF -> "to its left";
      case RIGHT_OF -> "to its right";
      case ABOVE -> "above it";
      case BELOW -> "below it";
    };
    String bare = switch (r) {
      case LEFT_OF -> "left of";
      case RIGHT_OF -> "right of";
      case ABOVE -> "above";
      case BELOW -> "below";
    };
    return List.of(
        phrase(a) + " " + r.phrase() + " " + phrase(b),
        phrase(b) + " " + r.inverse().phrase() + " " + phrase(a),
        "two shapes: " + phrase(a) + " " + sides[0] + " and " + phrase(b) + " " + sides[1],
        "there is " + synonymPhrase(a) + " " + r.phrase() + " " + synonymPhrase(b),
        phrase(b) + " with " + phrase(a) + " " + its,
        "the " + a.describe() + " is " + bare + " the " + b.describe());
  }

  private static List<String> several(List<SceneObject> unordered) {
    List<SceneObject> objects = new ArrayList<>(unordered);
    objects.sort(java.util.Comparator.comparingDouble(SceneObject::centerX));
    String count = numberWord(objects.size());
    List<String> plain = new ArrayList<>();
    List<String> synonyms = new ArrayList<>();
    for (SceneObject o : objects) {
      plain.add(phrase(o));
      synonyms.add(synonymPhrase(o));
    }
    List<String> reversed = new ArrayList<>(plain);
    java.util.Collections.reverse(reversed);
    return List.of(
        count + " shapes: " + list(plain),
        "there are " + count + " shapes, " + list(synonyms),
        list(plain) + " from left to right",
        count + " objects from left to right: " + list(plain),
        "an image with " + count + " shapes: " + list(synonyms),
        "from right to left: " + list(reversed));
  }

  /** "a large red circle". */
  static String phrase(SceneObject o) {
    return "a " + o.describe();
  }

  /** "a big red circle", "a little red circle". */
  static String synonymPhrase(SceneObject o) {
    return "a " + o.size().synonym() + " " + o.color().word() + " " + o.shape().word();
  }

  /** "x, y and z". */
  static String list(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
  }

  static String numberWord(int n) {
    return switch (n) {
      case 0 -> "zero";
      case 1 -> "one";
      case 2 -> "two";
      case 3 -> "three";
      case 4 -> "four";
      case 5 -> "five";
      default -> Integer.toString(n);
    };
  }

  static String article(String nextWord) {
    return "aeiou".indexOf(nextWord.charAt(0)) >= 0 ? "an" : "a";
  }

  private static String longPhrase(Position p) {
    return switch (p) {
      case LEFT -> "on the left side of the image";
      case RIGHT -> "on the right side of the image";
      case TOP -> "at the top of the image";
      case BOTTOM -> "at the bottom of the image";
      case CENTER -> "in the center of the image";
    };
  }

  private static String shortPhrase(Position p) {
    return switch (p) {
      case LEFT -> "at the left";
      case RIGHT -> "at the right";
      case TOP -> "near the top";
      case BOTTOM -> "near the bottom";
      case CENTER -> "in the middle";
    };
  }
}
