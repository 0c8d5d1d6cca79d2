package dev.glimpse.eval.scene;

import static dev.glimpse.testing.TestScenes.object;
import static dev.glimpse.testing.TestScenes.scene;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.glimpse.data.synth.ColorName;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.ShapeKind;
import dev.glimpse.data.synth.SizeKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeAccuracyTest {
  private static final Scene SINGLE =
      scene(object(ShapeKind.CIRCLE, ColorName.RED, SizeKind.LARGE, 0.25, 0.5));
  /** A red circle to the left of a blue square. */
  private static final Scene PAIR = scene(
      object(ShapeKind.CIRCLE, ColorName.RED, SizeKind.SMALL, 0.25, 0.5),
      object(ShapeKind.SQUARE, ColorName.BLUE, SizeKind.LARGE, 0.75, 0.5));
  private static final Scene TRIPLE = scene(
      object(ShapeKind.CIRCLE, ColorName.RED, SizeKind.SMALL, 0.2, 0.5),
      object(ShapeKind.SQUARE, ColorName.BLUE, SizeKind.SMALL, 0.5, 0.5),
      object(ShapeKind.STAR, ColorName.GREEN, SizeKind.SMALL, 0.8, 0.5));

  private static AttributeAccuracy.Result one(Scene scene, String caption) {
    return AttributeAccuracy.evaluate(List.of(scene), List.of(caption));
  }

  @Test
  void rightSingleObjectCaption() {
    AttributeAccuracy.Result r = one(SINGLE, "a large red circle on the left");
    assertEquals(1.0, r.singleObjectColorShape());
    assertEquals(1.0, r.color());
    assertEquals(1.0, r.shape());
    assertEquals(1.0, r.size());
    assertEquals(1.0, r.position());
    assertEquals(1.0, r.count());
    assertTrue(Double.isNaN(r.twoObjectCountRelation()));
    assertEquals(1, r.singleObjectScenes());
    assertEquals(0, r.twoObjectScenes());
  }

  @Test
  void wrongColorOrExtraObjectFailsColorShape() {
    AttributeAccuracy.Result wrongColor = one(SINGLE, "a large blue circle on the left");
    assertEquals(0.0, wrongColor.singleObjectColorShape());
    assertEquals(0.0, wrongColor.color());
    assertEquals(1.0, wrongColor.shape());
    AttributeAccuracy.Result extra = one(SINGLE, "a large red circle to the left of a blue square");
    assertEquals(0.0, extra.singleObjectColorShape());
    assertEquals(0.0, extra.count());
    AttributeAccuracy.Result wrongPlace = one(SINGLE, "a small red circle at the top");
    assertEquals(1.0, wrongPlace.singleObjectColorShape());
    assertEquals(0.0, wrongPlace.size());
    assertEquals(0.0, wrongPlace.position());
  }

  @Test
  void relationRightInEitherDirection() {
    assertEquals(1.0, one(PAIR, "a red circle to the left of a blue square").twoObjectCountRelation());
    assertEquals(1.0, one(PAIR, "a blue square to the right of a red circle").twoObjectCountRelation());
    assertEquals(1.0, one(PAIR, "a blue square with a red circle to its left").twoObjectCountRelation());
    assertEquals(1.0, one(PAIR, "two shapes: a red circle on the left and a blue square on the right")
        .twoObjectCountRelationStrict());
  }

  @Test
  void swappedRelationIsWrong() {
    AttributeAccuracy.Result swapped = one(PAIR, "a blue square to the left of a red circle");
    assertEquals(0.0, swapped.twoObjectCountRelation());
    assertEquals(0.0, swapped.relation());
    assertEquals(1.0, swapped.count());
    assertEquals(0.0, one(PAIR, "a red circle to the right of a blue square").twoObjectCountRelation());
    assertEquals(0.0, one(PAIR, "a red circle above a blue square").twoObjectCountRelation());
  }

  @Test
  void objectsMustBeIdentifiable() {
    // One attribute wrong per object, still unambiguous: counts, but not for the strict variant.
    AttributeAccuracy.Result lenient = one(PAIR, "a red circle to the left of a blue triangle");
    assertEquals(1.0, lenient.twoObjectCountRelation());
    assertEquals(0.0, lenient.twoObjectCountRelationStrict());
    // Attributes swapped between the objects: each phrase matches both equally, so it is wrong.
    assertEquals(0.0, one(PAIR, "a red square to the left of a blue circle").twoObjectCountRelation());
    // Both phrases name the same object.
    assertEquals(0.0, one(PAIR, "a red circle to the left of a red circle").twoObjectCountRelation());
    // Nothing in common with the scene.
    assertEquals(0.0, one(PAIR, "a green star to the left of a yellow triangle").twoObjectCountRelation());
  }

  @Test
  void countMustBeTwoForTheCombinedScore() {
    AttributeAccuracy.Result r = one(PAIR, "three shapes: a red circle to the left of a blue square");
    assertEquals(1.0, r.relation());
    assertEquals(0.0, r.twoObjectCountRelation());
  }

  @Test
  void threeObjectCountAndRecall() {
    AttributeAccuracy.Result right = one(TRIPLE, "three shapes: a small red circle, a small blue square and a small green star");
    assertEquals(1.0, right.threeObjectCount());
    assertEquals(1.0, right.multiObjectRecall());
    AttributeAccuracy.Result two = one(TRIPLE, "a red circle to the left of a blue square");
    assertEquals(0.0, two.threeObjectCount());
    assertEquals(2.0 / 3, two.multiObjectRecall(), 1e-12);
  }

  @Test
  void averagesOverScenesAndJsonKeys() {
    AttributeAccuracy.Result r = AttributeAccuracy.evaluate(
        List.of(SINGLE, SINGLE, PAIR, TRIPLE),
        List.of("a large red circle on the left", "a large green circle on the left",
            "a blue square to the right of a red circle", "two shapes: a red circle and a star"));
    assertEquals(0.5, r.singleObjectColorShape());
    assertEquals(1.0, r.twoObjectCountRelation());
    assertEquals(0.75, r.count());
    assertEquals(0.0, r.threeObjectCount());
    JsonObject json = r.toJson();
    for (String key : List.of("single_object_color_shape", "two_object_count_relation", "color", "shape",
        "size", "position", "count", "relation", "three_object_count", "single_object_scenes",
        "two_object_scenes", "three_object_scenes", "scenes")) {
      assertTrue(json.has(key), key);
    }
    assertEquals(0.5, json.get("single_object_color_shape").getAsDouble());
    assertEquals(4, json.get("scenes").getAsInt());
    assertTrue(one(SINGLE, "x").toJson().get("relation").isJsonNull());
  }

  @Test
  void mismatchedListsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> AttributeAccuracy.evaluate(List.of(SINGLE), List.of()));
  }

  @Test
  void judgeExplainsOneCaption() {
    AttributeAccuracy.Judgement j = AttributeAccuracy.judge(PAIR, "a blue square to the left of a red circle");
    assertTrue(j.countRight());
    assertFalse(j.relation());
    assertEquals(2, j.objectsNamed());
  }
}
