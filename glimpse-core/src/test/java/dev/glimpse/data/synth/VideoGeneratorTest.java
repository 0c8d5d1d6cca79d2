package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import dev.glimpse.eval.scene.MotionAccuracy;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VideoGeneratorTest {
  private static final VideoGenerator GENERATOR = new VideoGenerator(SceneConfig.defaults());

  @Test
  void clipsAreDeterministicAndCoverEveryMotion() {
    VideoGenerator other = new VideoGenerator(SceneConfig.defaults());
    Map<Motion, Integer> seen = new EnumMap<>(Motion.class);
    for (int i = 0; i < 300; i++) {
      Clip clip = GENERATOR.clip(Split.TRAIN, i);
      assertEquals(clip, other.clip(Split.TRAIN, i));
      assertNotEquals(clip, GENERATOR.clip(Split.TEST, i));
      seen.merge(clip.motion(), 1, Integer::sum);
      assertEquals(8, clip.frames());
      assertTrue(clip.width() <= 160 && clip.height() <= 160);
    }
    assertEquals(6, seen.size());
    seen.values().forEach(n -> assertTrue(n > 25, seen.toString()));
  }

  @Test
  void movesTravelFarInTheirDirectionAndStayInside() {
    for (int i = 0; i < 300; i++) {
      Clip clip = GENERATOR.clip(Split.VAL, i);
      for (int t = 0; t < clip.frames(); t++) {
        SceneObject o = VideoGenerator.objectAt(clip, t);
        if (o != null) {
          Box b = o.box();
          assertTrue(b.x() >= 0 && b.y() >= 0 && b.right() <= clip.width() && b.bottom() <= clip.height(), clip.toString());
        }
      }
      if (!clip.motion().isMove()) {
        continue;
      }
      SceneObject first = VideoGenerator.objectAt(clip, 0);
      SceneObject last = VideoGenerator.objectAt(clip, clip.frames() - 1);
      double du = last.centerX() - first.centerX();
      double dv = last.centerY() - first.centerY();
      switch (clip.motion()) {
        case LEFT -> assertTrue(du <= -0.4 + 1e-9 && Math.abs(dv) <= 0.08 + 1e-9, clip.toString());
        case RIGHT -> assertTrue(du >= 0.4 - 1e-9 && Math.abs(dv) <= 0.08 + 1e-9, clip.toString());
        case UP -> assertTrue(dv <= -0.4 + 1e-9 && Math.abs(du) <= 0.08 + 1e-9, clip.toString());
        case DOWN -> assertTrue(dv >= 0.4 - 1e-9 && Math.abs(du) <= 0.08 + 1e-9, clip.toString());
        default -> { }
      }
    }
  }

  @Test
  void appearingAndColorChangingShowInThePixels() {
    int checked = 0;
    for (int i = 0; i < 60; i++) {
      Clip clip = GENERATOR.clip(Split.TRAIN, i);
      if (clip.motion() != Motion.APPEAR && clip.motion() != Motion.COLOR_CHANGE) {
        continue;
      }
      List<BufferedImage> frames = GENERATOR.render(clip);
      assertEquals(clip.frames(), frames.size());
      int x = (int) (clip.object().centerX() * clip.width());
      int y = (int) (clip.object().centerY() * clip.height());
      int before = frames.get(clip.eventFrame() - 1).getRGB(x, y) & 0xFFFFFF;
      int after = frames.get(clip.eventFrame()).getRGB(x, y) & 0xFFFFFF;
      double tolerance = clip.noiseAmplitude() * Math.sqrt(3) + 2;
      assertTrue(distance(after, clip.motion() == Motion.APPEAR ? clip.object().rgb() : clip.toRgb()) <= tolerance);
      if (clip.motion() == Motion.APPEAR) {
        assertNull(VideoGenerator.objectAt(clip, 0));
        assertTrue(distance(before, clip.object().rgb()) > 50);
      } else {
        assertTrue(distance(before, clip.object().rgb()) <= tolerance);
      }
      checked++;
    }
    assertTrue(checked > 5);
  }

  private static double distance(int a, int b) {
    double[] x = Background.channels(a);
    double[] y = Background.channels(b);
    return Math.sqrt((x[0] - y[0]) * (x[0] - y[0]) + (x[1] - y[1]) * (x[1] - y[1]) + (x[2] - y[2]) * (x[2] - y[2]));
  }

  @Test
  void everyCaptionWordingScoresPerfectly() {
    SyntheticVideo data = new SyntheticVideo(GENERATOR, Split.TEST, 300);
    List<Clip> clips = data.clips();
    for (int k = 0; k < 6; k++) {
      List<String> captions = new ArrayList<>();
      for (Clip clip : clips) {
        List<String> references = GENERATOR.captions(clip);
        assertTrue(references.size() >= 5);
        captions.add(references.get(k));
      }
      MotionAccuracy.Result r = MotionAccuracy.evaluate(clips, captions);
      assertEquals(1.0, r.motionAccuracy(), "wording " + k);
      assertEquals(1.0, r.objectAccuracy(), "wording " + k);
    }
  }

  @Test
  void motionScoringOnHandMadeCaptions() {
    Clip clip = null;
    for (int i = 0; clip == null; i++) {
      Clip c = GENERATOR.clip(Split.TRAIN, i);
      clip = c.motion() == Motion.RIGHT ? c : null;
    }
    String thing = clip.object().color().word() + " " + clip.object().shape().word();
    assertEquals(1.0, MotionAccuracy.evaluate(List.of(clip), List.of("a " + thing + " goes right")).motionAccuracy());
    assertEquals(0.0, MotionAccuracy.evaluate(List.of(clip), List.of("a " + thing + " moves to the left")).motionAccuracy());
    assertEquals(0.0, MotionAccuracy.evaluate(List.of(clip), List.of("a " + thing + " appears")).motionAccuracy());
    assertEquals(1.0, MotionAccuracy.evaluate(List.of(clip), List.of("it slides from left to right")).motionAccuracy());
    assertEquals(0.0, MotionAccuracy.evaluate(List.of(clip), List.of("it slides from left to right")).objectAccuracy());
    MotionAccuracy.ParsedMotion change = MotionAccuracy.parse("a red circle turns blue");
    assertEquals(new MotionAccuracy.ParsedMotion(Motion.COLOR_CHANGE, ShapeKind.CIRCLE, ColorName.RED, null,
        ColorName.BLUE), change);
    assertEquals(Motion.UP, MotionAccuracy.parse("the star goes from the bottom to the top").motion());
    assertNull(MotionAccuracy.parse("nothing happens").motion());
  }

  @Test
  void examplesHaveAllFrames() {
    Example e = new SyntheticVideo(GENERATOR, Split.TRAIN, 3).get(1);
    assertEquals(8, e.frames().size());
    assertTrue(e.isVideo());
    assertEquals("train-video1", e.id());
  }
}
