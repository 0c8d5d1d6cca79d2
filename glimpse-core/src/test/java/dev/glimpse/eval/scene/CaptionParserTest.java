package dev.glimpse.eval.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.synth.ColorName;
import dev.glimpse.data.synth.Position;
import dev.glimpse.data.synth.Relation;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.SceneObject;
import dev.glimpse.data.synth.ShapeKind;
import dev.glimpse.data.synth.SizeKind;
import dev.glimpse.data.synth.Split;
import dev.glimpse.eval.scene.CaptionParser.ParsedCaption;
import dev.glimpse.eval.scene.CaptionParser.ParsedObject;
import dev.glimpse.eval.scene.CaptionParser.ParsedRelation;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionParserTest {
  @Test
  void everyWordingOfThousandsOfScenesParsesBackToTheScene() {
    SceneGenerator generator = new SceneGenerator(SceneConfig.defaults().withSeed(99));
    for (int i = 0; i < 3000; i++) {
      Scene scene = generator.scene(Split.TEST, i);
      List<SceneObject> truth = scene.objects();
      for (String caption : generator.captions(scene)) {
        ParsedCaption parsed = CaptionParser.parse(caption);
        String where = caption + " -> " + parsed;
        assertEquals(truth.size(), parsed.count(), where);
        assertEquals(truth.size(), parsed.objects().size(), where);
        for (ParsedObject p : parsed.objects()) {
          long matches = truth.stream()
              .filter(t -> t.color() == p.color() && t.shape() == p.shape() && t.size() == p.size())
              .count();
          assertEquals(1, matches, where);
        }
        if (truth.size() == 1) {
          assertEquals(truth.get(0).position(), parsed.objects().get(0).position(), where);
        }
        if (truth.size() == 2) {
          ParsedRelation r = parsed.relation();
          assertNotNull(r, where);
          SceneObject subject = find(truth, parsed.objects().get(r.subject()));
          SceneObject object = find(truth, parsed.objects().get(r.object()));
          assertTrue(subject != object, where);
          assertEquals(SceneObject.relation(subject, object), r.relation(), where);
        }
      }
    }
  }

  private static SceneObject find(List<SceneObject> truth, ParsedObject p) {
    return truth.stream().filter(t -> t.color() == p.color() && t.shape() == p.shape()).findFirst().orElseThrow();
  }

  @Test
  void relationForms() {
    assertRelation("a red circle to the left of a blue square", 0, Relation.LEFT_OF, 1);
    assertRelation("a blue square to the right of a red circle", 0, Relation.RIGHT_OF, 1);
    assertRelation("a red circle above a blue square", 0, Relation.ABOVE, 1);
    assertRelation("a red circle under a blue square", 0, Relation.BELOW, 1);
    assertRelation("a red circle on top of a blue square", 0, Relation.ABOVE, 1);
    assertRelation("a blue square with a red circle to its left", 1, Relation.LEFT_OF, 0);
    assertRelation("a blue square with a red circle below it", 1, Relation.BELOW, 0);
    assertRelation("two shapes: a red circle on the right and a blue square on the left", 0, Relation.RIGHT_OF, 1);
    assertRelation("the red circle is left of the blue square", 0, Relation.LEFT_OF, 1);
  }

  private static void assertRelation(String caption, int subject, Relation relation, int object) {
    assertEquals(new ParsedRelation(subject, relation, object), CaptionParser.parse(caption).relation(), caption);
  }

  @Test
  void positionWordsInsideAPositionPhraseAreNotRelations() {
    ParsedCaption parsed = CaptionParser.parse("a red star at the top of the image");
    assertEquals(Position.TOP, parsed.objects().get(0).position());
    assertNull(parsed.relation());
    assertEquals(Position.CENTER, CaptionParser.parse("a red star in the middle").objects().get(0).position());
    assertEquals(Position.LEFT, CaptionParser.parse("on the left, a red star").objects().get(0).position());
    assertNull(CaptionParser.parse("a red star at the top left").objects().get(0).position());
  }

  @Test
  void offGrammarCaptionsGiveWhatCanBeRead() {
    ParsedCaption cut = CaptionParser.parse("a large red");
    assertEquals(1, cut.objects().size());
    assertEquals(new ParsedObject(ColorName.RED, null, SizeKind.LARGE, null), cut.objects().get(0));

    ParsedCaption noColor = CaptionParser.parse("a big circle on the right.");
    assertEquals(new ParsedObject(null, ShapeKind.CIRCLE, SizeKind.LARGE, Position.RIGHT), noColor.objects().get(0));

    ParsedCaption plural = CaptionParser.parse("two red circles");
    assertEquals(2, plural.objects().size());
    assertEquals(2, plural.count());

    ParsedCaption contradiction = CaptionParser.parse("three shapes: a red circle and a blue star");
    assertEquals(3, contradiction.explicitCount());
    assertNull(contradiction.count());

    ParsedCaption countOnly = CaptionParser.parse("there are two shapes");
    assertEquals(2, countOnly.count());
    assertTrue(countOnly.objects().isEmpty());

    ParsedCaption nothing = CaptionParser.parse("<unk> <unk> the the");
    assertTrue(nothing.objects().isEmpty());
    assertNull(nothing.count());
    assertNull(nothing.relation());

    assertTrue(CaptionParser.parse("").objects().isEmpty());
    assertTrue(CaptionParser.parse(null).objects().isEmpty());

    ParsedCaption repeated = CaptionParser.parse("a red circle circle to the left of of a blue");
    assertEquals(3, repeated.objects().size());
  }

  @Test
  void synonymsAndCase() {
    ParsedObject o = CaptionParser.parse("A Little VIOLET Star, in the centre").objects().get(0);
    assertEquals(new ParsedObject(ColorName.PURPLE, ShapeKind.STAR, SizeKind.SMALL, Position.CENTER), o);
  }
}
