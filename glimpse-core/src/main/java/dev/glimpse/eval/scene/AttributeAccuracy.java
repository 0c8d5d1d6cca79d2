package dev.glimpse.eval.scene;

import com.google.gson.JsonObject;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.SceneObject;
import dev.glimpse.eval.scene.CaptionParser.ParsedCaption;
import dev.glimpse.eval.scene.CaptionParser.ParsedObject;
import dev.glimpse.eval.scene.CaptionParser.ParsedRelation;
import java.util.List;

/**
 * Scores generated captions against the ground-truth scenes by reading them back with {@link
 * CaptionParser}. Exact definitions (n = number of objects in the scene; "count" is {@link
 * ParsedCaption#count()}: the caption's number word, else its number of object phrases, null if
 * they disagree):
 *
 * <ul>
 *   <li>{@code single_object_color_shape}: over scenes with n = 1, the fraction whose caption has
 *       exactly one object phrase, whose color and shape both equal the object's.
 *   <li>{@code two_object_count_relation}: over scenes with n = 2, the fraction whose caption has
 *       count 2 and states a relation (see {@link CaptionParser}) that is true of the objects it
 *       names. Each named object (subject and object of the relation) is identified with the scene
 *       object it shares more attributes of {color, shape} with; it must share strictly more with
 *       it than with the other scene object, and the two must identify different scene objects.
 *       The stated relation must then equal {@link SceneObject#relation} of the identified subject
 *       to the identified object. So with a red circle left of a blue square, "a red circle to the
 *       left of a blue square" and "a blue square to the right of a red circle" are right, "a blue
 *       square to the left of a red circle" is wrong, and so is any caption whose objects cannot be
 *       told apart.
 *   <li>{@code two_object_count_relation_strict}: as above, but each named object must match its
 *       scene object in both color and shape.
 *   <li>{@code color}, {@code shape}, {@code size}: over scenes with n = 1, the fraction whose
 *       caption's first object phrase has that attribute right (missing = wrong).
 *   <li>{@code position}: over scenes with n = 1, the fraction whose first phrase's position equals
 *       {@link SceneObject#position()}.
 *   <li>{@code count}: over all scenes, the fraction with count = n.
 *   <li>{@code relation}: over scenes with n = 2, the relation part of {@code
 *       two_object_count_relation} alone (count not required).
 *   <li>{@code three_object_count}: over scenes with n = 3, the fraction with count = 3.
 *   <li>{@code multi_object_recall}: over the objects of scenes with n ≥ 2, the fraction named by
 *       some phrase of their caption with the right color and shape.
 * </ul>
 *
 * A fraction over an empty set of scenes is NaN ({@code null} in JSON).
 */
public final class AttributeAccuracy {
  private AttributeAccuracy() {}

  /** The scores; see the class comment for each definition. */
  public record Result(
      int scenes,
      int singleObjectScenes,
      int twoObjectScenes,
      int threeObjectScenes,
      double singleObjectColorShape,
      double twoObjectCountRelation,
      double twoObjectCountRelationStrict,
      double color,
      double shape,
      double size,
      double position,
      double count,
      double relation,
      double threeObjectCount,
      double multiObjectRecall,
      int unparsed) {

    /** snake_case keys; NaN becomes null. */
    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      put(json, "single_object_color_shape", singleObjectColorShape);
      put(json, "two_object_count_relation", twoObjectCountRelation);
      put(json, "two_object_count_relation_strict", twoObjectCountRelationStrict);
      put(json, "color", color);
      put(json, "shape", shape);
      put(json, "size", size);
      put(json, "position", position);
      put(json, "count", count);
      put(json, "relation", relation);
      put(json, "three_object_count", threeObjectCount);
      put(json, "multi_object_recall", multiObjectRecall);
      json.addProperty("scenes", scenes);
      json.addProperty("single_object_scenes", singleObjectScenes);
      json.addProperty("two_object_scenes", twoObjectScenes);
      json.addProperty("three_object_scenes", threeObjectScenes);
      json.addProperty("unparsed_captions", unparsed);
      return json;
    }

    private static void put(JsonObject json, String key, double value) {
      if (Double.isNaN(value)) {
        json.add(key, com.google.gson.JsonNull.INSTANCE);
      } else {
        json.addProperty(key, value);
      }
    }
  }

  /**
   * How one caption fares on one scene; a field is null where it does not apply to the scene's
   * object count.
   */
  public record Judgement(
      ParsedCaption parsed,
      boolean countRight,
      Boolean colorShape,
      Boolean color,
      Boolean shape,
      Boolean size,
      Boolean position,
      Boolean relation,
      Boolean relationStrict,
      int objectsNamed) {}

  public static Result evaluate(List<Scene> scenes, List<String> captions) {
    if (scenes.size() != captions.size()) {
      throw new IllegalArgumentException(
          scenes.size() + " scenes but " + captions.size() + " captions; expected one caption per scene");
    }
    int singles = 0;
    int pairs = 0;
    int triples = 0;
    int colorShape = 0;
    int color = 0;
    int shape = 0;
    int size = 0;
    int position = 0;
    int count = 0;
    int countRelation = 0;
    int countRelationStrict = 0;
    int relation = 0;
    int tripleCount = 0;
    int multiObjects = 0;
    int multiNamed = 0;
    int unparsed = 0;
    for (int i = 0; i < scenes.size(); i++) {
      Scene scene = scenes.get(i);
      Judgement j = judge(scene, captions.get(i));
      if (j.parsed().objects().isEmpty()) {
        unparsed++;
      }
      count += j.countRight() ? 1 : 0;
      switch (scene.count()) {
        case 1 -> {
          singles++;
          colorShape += j.colorShape() ? 1 : 0;
          color += j.color() ? 1 : 0;
          shape += j.shape() ? 1 : 0;
          size += j.size() ? 1 : 0;
          position += j.position() ? 1 : 0;
        }
        case 2 -> {
          pairs++;
          relation += j.relation() ? 1 : 0;
          countRelation += j.relation() && j.countRight() ? 1 : 0;
          countRelationStrict += j.relationStrict() && j.countRight() ? 1 : 0;
        }
        case 3 -> {
          triples++;
          tripleCount += j.countRight() ? 1 : 0;
        }
        default -> { }
      }
      if (scene.count() >= 2) {
        multiObjects += scene.count();
        multiNamed += j.objectsNamed();
      }
    }
    return new Result(
        scenes.size(), singles, pairs, triples,
        fraction(colorShape, singles), fraction(countRelation, pairs), fraction(countRelationStrict, pairs),
        fraction(color, singles), fraction(shape, singles), fraction(size, singles),
        fraction(position, singles), fraction(count, scenes.size()), fraction(relation, pairs),
        fraction(tripleCount, triples), fraction(multiNamed, multiObjects), unparsed);
  }

  /** Judges one caption against one scene (see the class comment). */
  public static Judgement judge(Scene scene, String caption) {
    ParsedCaption parsed = CaptionParser.parse(caption);
    List<SceneObject> truth = scene.objects();
    Integer parsedCount = parsed.count();
    boolean countRight = parsedCount != null && parsedCount == truth.size();
    int named = 0;
    for (SceneObject object : truth) {
      boolean found = parsed.objects().stream()
          .anyMatch(p -> p.color() == object.color() && p.shape() == object.shape());
      named += found ? 1 : 0;
    }
    if (truth.size() == 1) {
      SceneObject object = truth.get(0);
      ParsedObject first = parsed.objects().isEmpty() ? null : parsed.objects().get(0);
      boolean color = first != null && first.color() == object.color();
      boolean shape = first != null && first.shape() == object.shape();
      boolean size = first != null && first.size() == object.size();
      boolean position = first != null && first.position() == object.position();
      boolean colorShape = parsed.objects().size() == 1 && color && shape;
      return new Judgement(parsed, countRight, colorShape, color, shape, size, position, null, null, named);
    }
    if (truth.size() == 2) {
      return new Judgement(parsed, countRight, null, null, null, null, null,
          relationRight(truth, parsed, false), relationRight(truth, parsed, true), named);
    }
    return new Judgement(parsed, countRight, null, null, null, null, null, null, null, named);
  }

  private static boolean relationRight(List<SceneObject> truth, ParsedCaption parsed, boolean strict) {
    ParsedRelation r = parsed.relation();
    if (r == null) {
      return false;
    }
    int subject = identify(parsed.objects().get(r.subject()), truth, strict);
    int object = identify(parsed.objects().get(r.object()), truth, strict);
    if (subject < 0 || object < 0 || subject == object) {
      return false;
    }
    return SceneObject.relation(truth.get(subject), truth.get(object)) == r.relation();
  }

  /** Index of the scene object this phrase names, or -1 if none or ambiguous. */
  private static int identify(ParsedObject phrase, List<SceneObject> truth, boolean strict) {
    int best = -1;
    int bestScore = -1;
    boolean tie = false;
    for (int i = 0; i < truth.size(); i++) {
      SceneObject t = truth.get(i);
      int score = (phrase.color() == t.color() ? 1 : 0) + (phrase.shape() == t.shape() ? 1 : 0);
      if (score > bestScore) {
        best = i;
        bestScore = score;
        tie = false;
      } else if (score == bestScore) {
        tie = true;
      }
    }
    if (tie || bestScore <= 0 || (strict && bestScore < 2)) {
      return -1;
    }
    return best;
  }

  private static double fraction(int right, int total) {
    return total == 0 ? Double.NaN : (double) right / total;
  }
}
