package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A dense description names every object with its place, every pair's relation, and the background. */
class DenseDescriptionsTest {
  @Test
  void namesEveryObjectEveryPairAndTheBackground() {
    SceneGenerator generator = new SceneGenerator(SceneConfig.defaults().withSeed(3));
    int three = 0;
    for (int i = 0; i < 200; i++) {
      Scene scene = generator.scene(Split.TEST, i);
      String text = DenseDescriptions.of(scene);
      for (SceneObject o : scene.objects()) {
        assertTrue(text.contains("a " + o.describe() + " is " + o.position().phrase()), text);
      }
      for (int a = 0; a < scene.count(); a++) {
        for (int b = 0; b < scene.count(); b++) {
          SceneObject x = scene.objects().get(a);
          SceneObject y = scene.objects().get(b);
          if (a != b && x.centerX() < y.centerX()) {
            assertTrue(text.contains("the " + x.describe() + " is " + SceneObject.relation(x, y).phrase() + " the "
                + y.describe()), text);
          }
        }
      }
      assertTrue(text.endsWith("the background is " + scene.backgroundDescription() + "."), text);
      three += scene.count() == 3 ? 1 : 0;
    }
    assertTrue(three > 20, "three-object scenes are covered");
  }
}
