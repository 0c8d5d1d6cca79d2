package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SceneConfigTest {
  @Test
  void badValuesNameTheField() {
    SceneConfig d = SceneConfig.defaults();
    assertMessage("minSide", () -> d.withSides(10, 100));
    assertMessage("maxSide", () -> d.withSides(100, 80));
    assertMessage("maxObjects", () -> d.withObjects(1, 4));
    assertMessage("minObjects", () -> d.withObjects(0, 2));
    assertMessage("shapes", () -> d.withPalette(List.of(), List.of(ColorName.RED)));
    assertMessage("noiseLevel", () -> d.withVariation(0.5, 0.5, 0.3, 0.9, 0.5, 0.5));
    assertMessage("plainBackgroundProbability", () -> d.withVariation(0.8, 0.5, 0.3, 0.04, 0.5, 0.5));
  }

  private static void assertMessage(String field, org.junit.jupiter.api.function.Executable make) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }

  @Test
  void restrictedConfigsAreHonoured() {
    SceneConfig config = SceneConfig.clean()
        .withPalette(List.of(ShapeKind.STAR, ShapeKind.CIRCLE), List.of(ColorName.WHITE, ColorName.BLACK))
        .withObjects(2, 2)
        .withSides(64, 64);
    SceneGenerator generator = new SceneGenerator(config);
    for (int i = 0; i < 100; i++) {
      Scene s = generator.scene(Split.TRAIN, i);
      assertEquals(2, s.count());
      assertEquals(64, s.width());
      assertEquals(Background.Kind.PLAIN, s.background().kind());
      assertEquals(0, s.noiseAmplitude());
      for (SceneObject o : s.objects()) {
        assertTrue(o.shape() == ShapeKind.STAR || o.shape() == ShapeKind.CIRCLE);
        assertTrue(o.color() == ColorName.WHITE || o.color() == ColorName.BLACK);
        assertEquals(0, o.rotation());
      }
    }
  }
}
