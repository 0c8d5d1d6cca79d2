package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.testing.TestScenes;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticRegionsTest {
  @Test
  void oneRegionPerObjectPlusThePair() {
    SceneObject a = TestScenes.object(ShapeKind.CIRCLE, ColorName.RED, SizeKind.SMALL, 0.25, 0.5);
    SceneObject b = TestScenes.object(ShapeKind.SQUARE, ColorName.BLUE, SizeKind.LARGE, 0.75, 0.5);
    List<SyntheticRegions.Region> regions = SyntheticRegions.regions(TestScenes.scene(a, b));
    assertEquals(3, regions.size());
    assertEquals("a small red circle", regions.get(0).phrase());
    assertEquals(a.box(), regions.get(0).box());
    assertEquals("a small red circle to the left of a large blue square", regions.get(2).phrase());
    Box union = regions.get(2).box();
    assertEquals(a.box().x(), union.x());
    assertEquals(b.box().right(), union.right());
  }

  @Test
  void datasetRegionsLieInsideTheImage() {
    SyntheticRegions data = new SyntheticRegions(new SceneGenerator(SceneConfig.defaults()), Split.VAL, 100);
    for (int i = 0; i < 100; i++) {
      Scene scene = data.scene(i);
      @SuppressWarnings("unchecked")
      List<SyntheticRegions.Region> regions = data.get(i).get(SyntheticRegions.REGIONS);
      assertEquals(scene.count() + (scene.count() == 2 ? 1 : 0), regions.size());
      for (SyntheticRegions.Region r : regions) {
        assertTrue(r.box().x() >= 0 && r.box().right() <= scene.width() && r.box().bottom() <= scene.height());
      }
    }
  }
}
