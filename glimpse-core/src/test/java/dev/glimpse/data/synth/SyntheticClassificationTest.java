package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticClassificationTest {
  @Test
  void labelsAreSortedColorShapePairs() {
    SyntheticClassification data =
        new SyntheticClassification(new SceneGenerator(SceneConfig.defaults()), Split.TRAIN, 200);
    List<String> labels = data.labels();
    assertEquals(32, labels.size());
    List<String> sorted = new ArrayList<>(labels);
    sorted.sort(null);
    assertEquals(sorted, labels);
    assertEquals("black circle", labels.get(0));
    assertEquals("red_circle", SyntheticClassification.folderName("red circle"));
    for (int i = 0; i < 200; i++) {
      Example e = data.get(i);
      Scene scene = e.get(Scene.KEY);
      assertEquals(1, scene.count());
      SceneObject o = scene.objects().get(0);
      assertEquals(List.of(o.color().word() + " " + o.shape().word()), e.targets());
      assertEquals(labels.indexOf(e.targets().get(0)), e.get(SyntheticClassification.LABEL));
    }
    assertTrue(data.scene(0) != null);
  }
}
