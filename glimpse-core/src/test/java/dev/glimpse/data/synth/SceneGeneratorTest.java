package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SceneGeneratorTest {
  private static final SceneGenerator GENERATOR = new SceneGenerator(SceneConfig.defaults());
  private static final int N = 2000;
  private static List<Scene> scenes;

  @BeforeAll
  static void drawScenes() {
    scenes = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      scenes.add(GENERATOR.scene(Split.TRAIN, i));
    }
  }

  @Test
  void sameSeedSplitAndIndexGiveTheSameSceneImageAndCaptions() {
    SceneGenerator other = new SceneGenerator(SceneConfig.defaults());
    for (int i = 0; i < 50; i++) {
      Scene a = GENERATOR.scene(Split.VAL, i);
      Scene b = other.scene(Split.VAL, i);
      assertEquals(a, b);
      assertArrayEquals(pixels(GENERATOR.render(a)), pixels(other.render(b)));
      assertEquals(GENERATOR.captions(a), other.captions(b));
    }
  }

  @Test
  void itemsDoNotDependOnTheOrderTheyAreAskedFor() {
    Scene later = GENERATOR.scene(Split.TRAIN, 1234);
    assertEquals(scenes.get(1234), later);
  }

  @Test
  void splitsAndSeedsAreDifferentStreams() {
    SceneGenerator otherSeed = new SceneGenerator(SceneConfig.defaults().withSeed(1));
    for (int i = 0; i < 100; i++) {
      Scene train = GENERATOR.scene(Split.TRAIN, i);
      assertNotEquals(train, GENERATOR.scene(Split.VAL, i));
      assertNotEquals(train, GENERATOR.scene(Split.TEST, i));
      assertNotEquals(train, otherSeed.scene(Split.TRAIN, i));
    }
    Set<Long> seeds = new HashSet<>();
    for (Split split : Split.values()) {
      for (int i = 0; i < 1000; i++) {
        seeds.add(SceneGenerator.itemSeed(0, split, i));
      }
    }
    assertEquals(3000, seeds.size());
  }

  @Test
  void imageSizesCountsAndAspects() {
    int square = 0;
    int[] counts = new int[4];
    for (Scene s : scenes) {
      assertTrue(s.width() >= 64 && s.width() <= 224 && s.height() >= 64 && s.height() <= 224, s.toString());
      double aspect = (double) Math.max(s.width(), s.height()) / Math.min(s.width(), s.height());
      assertTrue(aspect <= 1.34, "aspect " + aspect);
      square += s.width() == s.height() ? 1 : 0;
      counts[s.count()]++;
    }
    assertTrue(square > N * 0.6 && square < N * 0.85, "square images: " + square);
    assertTrue(counts[1] > N * 0.3 && counts[2] > N * 0.3 && counts[3] > N * 0.12, java.util.Arrays.toString(counts));
  }

  @Test
  void everyShapeColorSizePositionAndRelationOccurs() {
    Set<Object> seen = new HashSet<>();
    for (Scene s : scenes) {
      for (SceneObject o : s.objects()) {
        seen.add(o.shape());
        seen.add(o.color());
        seen.add(o.size());
      }
      if (s.count() == 1) {
        seen.add(s.objects().get(0).position());
      }
      if (s.count() == 2) {
        seen.add(s.relation());
      }
    }
    assertTrue(seen.containsAll(List.of(ShapeKind.values())));
    assertTrue(seen.containsAll(List.of(ColorName.values())));
    assertTrue(seen.containsAll(List.of(SizeKind.values())));
    assertTrue(seen.containsAll(List.of(Position.values())));
    assertTrue(seen.containsAll(List.of(Relation.LEFT_OF, Relation.ABOVE)), "canonical relations");
  }

  @Test
  void objectsAreInsideWithMarginAndApartWithAGap() {
    for (Scene s : scenes) {
      int shorter = s.shorterSide();
      double margin = Math.max(2, SceneGenerator.MARGIN * shorter) - 1;
      double gap = SceneGenerator.GAP * shorter - 2;
      List<SceneObject> objects = s.objects();
      for (SceneObject o : objects) {
        Box b = o.box();
        assertTrue(b.x() >= margin && b.y() >= margin
            && b.right() <= s.width() - margin && b.bottom() <= s.height() - margin, "margin: " + s);
      }
      for (int i = 0; i < objects.size(); i++) {
        for (int j = i + 1; j < objects.size(); j++) {
          Box a = objects.get(i).box();
          Box b = objects.get(j).box();
          boolean apart = a.right() + gap <= b.x() || b.right() + gap <= a.x()
              || a.bottom() + gap <= b.y() || b.bottom() + gap <= a.y();
          assertTrue(apart, "objects overlap or touch: " + s);
          assertTrue(objects.get(i).color() != objects.get(j).color()
              || objects.get(i).shape() != objects.get(j).shape(), "two identical objects: " + s);
        }
      }
    }
  }

  @Test
  void singlePositionsAreClearlyInsideTheirRegion() {
    for (Scene s : scenes) {
      if (s.count() != 1) {
        continue;
      }
      SceneObject o = s.objects().get(0);
      double du = Math.abs(o.centerX() - 0.5);
      double dv = Math.abs(o.centerY() - 0.5);
      switch (o.position()) {
        case CENTER -> assertTrue(du <= 0.05 + 1e-9 && dv <= 0.05 + 1e-9, s.toString());
        case LEFT, RIGHT -> assertTrue(du >= 0.15 - 1e-9 && dv <= 0.07 + 1e-9, s.toString());
        case TOP, BOTTOM -> assertTrue(dv >= 0.15 - 1e-9 && du <= 0.07 + 1e-9, s.toString());
      }
    }
  }

  @Test
  void pairRelationsAreUnambiguousAndCanonicallyOrdered() {
    for (Scene s : scenes) {
      if (s.count() == 2) {
        SceneObject a = s.objects().get(0);
        SceneObject b = s.objects().get(1);
        double dx = Math.abs(a.centerX() - b.centerX()) * s.width();
        double dy = Math.abs(a.centerY() - b.centerY()) * s.height();
        assertTrue(Math.max(dx, dy) >= 3 * Math.min(dx, dy) - 1e-6, "ambiguous relation: " + s);
        assertTrue(s.relation() == Relation.LEFT_OF || s.relation() == Relation.ABOVE, s.toString());
        assertEquals(s.relation().inverse(), SceneObject.relation(b, a));
      }
      if (s.count() == 3) {
        for (int i = 1; i < 3; i++) {
          double step = s.objects().get(i).centerX() - s.objects().get(i - 1).centerX();
          assertTrue(step >= 0.1 - 1e-9, "three objects not clearly left to right: " + s);
        }
      }
    }
  }

  @Test
  void sizesAndColorsStayInTheirRanges() {
    for (Scene s : scenes) {
      for (SceneObject o : s.objects()) {
        double relative = o.radius() / s.shorterSide();
        assertTrue(relative >= o.size().minRadius() && relative <= o.size().maxRadius(), o.toString());
        assertTrue(o.color().contains(o.rgb()), o + " rgb outside " + o.color());
        assertTrue(Math.abs(o.rotation()) <= 15, o.toString());
        if (o.shape() == ShapeKind.CIRCLE) {
          assertEquals(0, o.rotation());
        }
      }
    }
  }

  @Test
  void objectColorsAreNeverCloseToTheBackground() {
    for (Scene s : scenes) {
      for (SceneObject o : s.objects()) {
        assertTrue(s.background().distanceTo(o.rgb()) >= SceneGenerator.MIN_CONTRAST, s.toString());
      }
    }
  }

  @Test
  void colorRangesDoNotOverlap() {
    SceneRandom random = new SceneRandom(7);
    for (ColorName color : ColorName.values()) {
      for (int i = 0; i < 500; i++) {
        int rgb = color.sample(random);
        for (ColorName other : ColorName.values()) {
          if (other != color) {
            assertTrue(!other.contains(rgb), color + " sample " + SceneJson.hex(rgb) + " also looks " + other);
          }
        }
      }
    }
  }

  @Test
  void cssColorsFallInTheirNamedRange() {
    assertTrue(ColorName.RED.contains(0xFF0000));
    assertTrue(ColorName.GREEN.contains(0x008000));
    assertTrue(ColorName.GREEN.contains(0x00FF00));
    assertTrue(ColorName.BLUE.contains(0x0000FF));
    assertTrue(ColorName.YELLOW.contains(0xFFFF00));
    assertTrue(ColorName.PURPLE.contains(0x800080));
    assertTrue(ColorName.ORANGE.contains(0xFFA500));
    assertTrue(ColorName.WHITE.contains(0xFFFFFF));
    assertTrue(ColorName.BLACK.contains(0x000000));
  }

  @Test
  void renderedObjectsShowTheirColorAtTheirCentre() {
    for (Scene s : scenes.subList(0, 300)) {
      BufferedImage image = GENERATOR.render(s);
      assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());
      assertEquals(s.width(), image.getWidth());
      assertEquals(s.height(), image.getHeight());
      for (SceneObject o : s.objects()) {
        int x = (int) (o.centerX() * s.width());
        int y = (int) (o.centerY() * s.height());
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        double tolerance = s.noiseAmplitude() * Math.sqrt(3) + 2;
        assertTrue(distance(rgb, o.rgb()) <= tolerance, "centre of " + o + " is " + SceneJson.hex(rgb));
      }
    }
  }

  private static double distance(int a, int b) {
    double[] x = Background.channels(a);
    double[] y = Background.channels(b);
    return Math.sqrt((x[0] - y[0]) * (x[0] - y[0]) + (x[1] - y[1]) * (x[1] - y[1]) + (x[2] - y[2]) * (x[2] - y[2]));
  }

  static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }
}
