package dev.glimpse.data.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Long, dense descriptions of scenes (as the L-DCI benchmark's long captions are of photographs): a
 * paragraph that names every object with where it is, every pair of objects with their relation,
 * and the background, in the vocabulary of {@link CaptionGrammar}. Retrieving images from these
 * paragraphs tests a text module on texts several times longer than the captions it trained on.
 *
 * <pre>
 * there are three shapes. a small red circle is on the left. a large blue square is in the center.
 * a small green star is on the right. the small red circle is to the left of the large blue square.
 * the small red circle is to the left of the small green star. the large blue square is to the left
 * of the small green star. the background is plain white.
 * </pre>
 */
public final class DenseDescriptions {
  private DenseDescriptions() {}

  /** The paragraph of a scene: objects left to right, then each pair's relation, then the background. */
  public static String of(Scene scene) {
    List<SceneObject> objects = new ArrayList<>(scene.objects());
    objects.sort(Comparator.comparingDouble(SceneObject::centerX));
    List<String> sentences = new ArrayList<>();
    int n = objects.size();
    sentences.add(n == 0 ? "there are no shapes" : n == 1 ? "there is one shape"
        : "there are " + CaptionGrammar.numberWord(n) + " shapes");
    for (SceneObject o : objects) {
      sentences.add(CaptionGrammar.phrase(o) + " is " + o.position().phrase());
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        SceneObject a = objects.get(i);
        SceneObject b = objects.get(j);
        sentences.add("the " + a.describe() + " is " + SceneObject.relation(a, b).phrase() + " the " + b.describe());
      }
    }
    sentences.add("the background is " + scene.backgroundDescription());
    return String.join(". ", sentences) + ".";
  }
}
