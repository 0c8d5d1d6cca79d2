package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.testing.TestScenes;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionGrammarTest {
  @Test
  void everySceneHasAtLeastFiveDistinctLowerCaseReferences() {
    SceneGenerator generator = new SceneGenerator(SceneConfig.defaults());
    for (int i = 0; i < 500; i++) {
      Scene scene = generator.scene(Split.TRAIN, i);
      List<String> captions = generator.captions(scene);
      assertTrue(captions.size() >= 5);
      assertEquals(captions.size(), new HashSet<>(captions).size(), "duplicate references: " + captions);
      for (String c : captions) {
        assertEquals(c.toLowerCase(java.util.Locale.ROOT), c);
        assertTrue(!c.endsWith(".") && !c.startsWith(" ") && !c.contains("  "), c);
      }
      String canonical = captions.get(0);
      assertEquals(canonical, CaptionGrammar.canonical(scene));
      assertTrue(canonical.split(" ").length <= 16, "canonical caption too long: " + canonical);
    }
  }

  @Test
  void canonicalWordings() {
    SceneObject redCircle = TestScenes.object(ShapeKind.CIRCLE, ColorName.RED, SizeKind.LARGE, 0.25, 0.5);
    assertEquals("a large red circle on the left", CaptionGrammar.canonical(TestScenes.scene(redCircle)));
    SceneObject orange = TestScenes.object(ShapeKind.STAR, ColorName.ORANGE, SizeKind.SMALL, 0.5, 0.5);
    List<String> orangeCaptions = CaptionGrammar.captions(TestScenes.scene(orange));
    assertEquals("a small orange star in the center", orangeCaptions.get(0));
    assertEquals("an orange star, small, positioned in the center", orangeCaptions.get(2));

    SceneObject blueSquare = TestScenes.object(ShapeKind.SQUARE, ColorName.BLUE, SizeKind.SMALL, 0.2, 0.5);
    SceneObject yellowStar = TestScenes.object(ShapeKind.STAR, ColorName.YELLOW, SizeKind.LARGE, 0.75, 0.55);
    assertEquals(
        List.of(
            "a small blue square to the left of a large yellow star",
            "a large yellow star to the right of a small blue square",
            "two shapes: a small blue square on the left and a large yellow star on the right",
            "there is a little blue square to the left of a big yellow star",
            "a large yellow star with a small blue square to its left",
            "the small blue square is left of the large yellow star"),
        CaptionGrammar.captions(TestScenes.scene(blueSquare, yellowStar)));

    SceneObject top = TestScenes.object(ShapeKind.TRIANGLE, ColorName.GREEN, SizeKind.SMALL, 0.5, 0.2);
    SceneObject bottom = TestScenes.object(ShapeKind.CIRCLE, ColorName.WHITE, SizeKind.LARGE, 0.45, 0.75);
    assertEquals("a small green triangle above a large white circle",
        CaptionGrammar.canonical(TestScenes.scene(top, bottom)));

    SceneObject c = TestScenes.object(ShapeKind.CIRCLE, ColorName.RED, SizeKind.SMALL, 0.8, 0.5);
    assertEquals("three shapes: a small blue square, a large yellow star and a small red circle",
        CaptionGrammar.canonical(TestScenes.scene(c, yellowStar, blueSquare)));
  }
}
