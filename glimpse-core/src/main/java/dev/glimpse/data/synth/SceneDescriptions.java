package dev.glimpse.data.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * Long descriptions of synthetic images (the "describe the image in detail" answers of the instruction
 * data, and paragraphs of the language model's text): how many shapes, each object's size, color,
 * shape and place, the relation of two objects, the background. Sentences are lower case and end
 * with a period, e.g. {@code there are two shapes. a small blue square is on the left. a large yellow
 * star is on the right. the square is to the left of the star. the background is plain white.}
 */
public final class SceneDescriptions {
  private SceneDescriptions() {}

  /** The long description of a captioning scene. */
  public static String describe(Scene scene) {
    List<String> sentences = new ArrayList<>();
    List<SceneObject> objects = new ArrayList<>(scene.objects());
    int n = objects.size();
    sentences.add(n == 1 ? "there is one shape" : "there are " + CaptionGrammar.numberWord(n) + " shapes");
    if (n == 1) {
      SceneObject o = objects.get(0);
      sentences.add(CaptionGrammar.phrase(o) + " is " + o.position().phrase());
    } else if (n == 2) {
      Relation r = scene.relation();
      String[] sides = r.horizontal() ? new String[] {"on the left", "on the right"}
          : new String[] {"at the top", "at the bottom"};
      if (r == Relation.RIGHT_OF || r == Relation.BELOW) {
        sides = new String[] {sides[1], sides[0]};
      }
      sentences.add(CaptionGrammar.phrase(objects.get(0)) + " is " + sides[0]);
      sentences.add(CaptionGrammar.phrase(objects.get(1)) + " is " + sides[1]);
      sentences.add("the " + objects.get(0).shape().word() + " is " + r.phrase() + " the "
          + objects.get(1).shape().word());
    } else {
      objects.sort(java.util.Comparator.comparingDouble(SceneObject::centerX));
      String[] places = {"on the left", "in the middle", "on the right"};
      for (int i = 0; i < n; i++) {
        sentences.add(CaptionGrammar.phrase(objects.get(i)) + " is " + places[Math.min(i, 2)]);
      }
    }
    sentences.add("the background is " + scene.backgroundDescription());
    return String.join(". ", sentences) + ".";
  }

  /** The long description of a sign. */
  public static String describe(TextScene scene) {
    String color = scene.signColor().word();
    return "there is " + CaptionGrammar.article(color) + " " + color + " sign. it says \"" + scene.word()
        + "\" in " + scene.textColorWord() + " letters.";
  }
}
