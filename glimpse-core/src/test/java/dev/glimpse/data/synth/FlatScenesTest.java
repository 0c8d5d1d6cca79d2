package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SceneConfig#flat()}: what simple drawing programs make. Plain backgrounds of any light,
 * mid or dark tone, no noise, and white and black objects next to near-white and near-black tones.
 */
class FlatScenesTest {
  private static final SceneGenerator FLAT = new SceneGenerator(SceneConfig.flat().withSeed(3));

  @Test
  void backgroundsArePlainAndImagesCarryNoNoise() {
    for (int i = 0; i < 300; i++) {
      Scene s = FLAT.scene(Split.TRAIN, i);
      assertEquals(Background.Kind.PLAIN, s.background().kind(), s.toString());
      assertEquals(0, s.noiseAmplitude());
      BufferedImage image = FLAT.render(s);
      // a corner is away from every object (margins): exactly the background tone
      assertEquals(s.background().fromRgb(), image.getRGB(0, 0) & 0xFFFFFF);
      for (SceneObject o : s.objects()) {
        assertTrue(s.background().distanceTo(o.rgb()) >= SceneConfig.FLAT_MIN_CONTRAST, s.toString());
        assertTrue(o.color().contains(o.rgb()), o.toString());
      }
    }
  }

  @Test
  void whiteAndBlackObjectsMeetNearWhiteAndNearBlackBackgrounds() {
    int white = 0;
    int whiteOnLight = 0;
    int whiteClose = 0;
    int black = 0;
    int blackOnDark = 0;
    int blackClose = 0;
    int pastel = 0;
    int scenes = 2000;
    for (int i = 0; i < scenes; i++) {
      Scene s = FLAT.scene(Split.TRAIN, i);
      double[] hsv = ColorName.rgbToHsv(s.background().fromRgb());
      pastel += hsv[2] >= 0.78 && hsv[1] >= 0.1 ? 1 : 0;
      for (SceneObject o : s.objects()) {
        double distance = s.background().distanceTo(o.rgb());
        if (o.color() == ColorName.WHITE) {
          white++;
          whiteOnLight += s.background().fromName().equals("light tone") ? 1 : 0;
          whiteClose += distance < SceneGenerator.MIN_CONTRAST ? 1 : 0;
        } else if (o.color() == ColorName.BLACK) {
          black++;
          blackOnDark += s.background().fromName().equals("dark tone") ? 1 : 0;
          blackClose += distance < SceneGenerator.MIN_CONTRAST ? 1 : 0;
        }
      }
    }
    // none of this happens in the default scenes, where every object keeps RGB distance 100
    // measured: about 75% on light tones and 60% closer than 100 for white, 70% and 55% for black
    assertTrue(whiteOnLight > 0.5 * white, whiteOnLight + " of " + white + " white objects on light tones");
    assertTrue(whiteClose > 0.4 * white, whiteClose + " of " + white + " white objects closer than 100");
    assertTrue(blackOnDark > 0.5 * black, blackOnDark + " of " + black + " black objects on dark tones");
    assertTrue(blackClose > 0.4 * black, blackClose + " of " + black + " black objects closer than 100");
    assertTrue(pastel > 0.2 * scenes, pastel + " pastel backgrounds in " + scenes);
  }

  @Test
  void theDefaultScenesAreUnchanged() {
    SceneConfig defaults = SceneConfig.defaults();
    assertEquals(SceneGenerator.MIN_CONTRAST, defaults.minContrast());
    assertEquals(Background.Tones.PALETTE, defaults.tones());
    SceneGenerator generator = new SceneGenerator(defaults.withSeed(3));
    for (int i = 0; i < 300; i++) {
      Scene s = generator.scene(Split.TRAIN, i);
      assertTrue(Background.TONES.stream().anyMatch(t -> t.name().equals(s.background().fromName())), s.toString());
    }
  }

  @Test
  void contrastAndTonesAreValidated() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> SceneConfig.defaults().withBackgrounds(20, Background.Tones.WIDE));
    assertTrue(e.getMessage().startsWith("minContrast"), e.getMessage());
    e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> SceneConfig.defaults().withBackgrounds(100, null));
    assertTrue(e.getMessage().startsWith("tones"), e.getMessage());
    List<ShapeKind> shapes = SceneConfig.flat().shapes();
    assertEquals(ShapeKind.values().length, shapes.size());
  }
}
