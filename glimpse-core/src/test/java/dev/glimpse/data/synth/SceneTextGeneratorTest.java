package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneTextGeneratorTest {
  private static final SceneTextGenerator GENERATOR = new SceneTextGenerator(SceneConfig.defaults());

  @Test
  void scenesAreDeterministicAndSplitsDiffer() {
    SceneTextGenerator other = new SceneTextGenerator(SceneConfig.defaults());
    for (int i = 0; i < 30; i++) {
      TextScene a = GENERATOR.scene(Split.TRAIN, i);
      assertEquals(a, other.scene(Split.TRAIN, i));
      assertNotEquals(a, GENERATOR.scene(Split.VAL, i));
      assertArrayEquals(SceneGeneratorTest.pixels(GENERATOR.render(a)), SceneGeneratorTest.pixels(other.render(a)));
    }
  }

  @Test
  void wordsBoxesSizesAndRotations() {
    int wide = 0;
    int tall = 0;
    int small = 0;
    int rotated = 0;
    for (int i = 0; i < 500; i++) {
      TextScene s = GENERATOR.scene(Split.TRAIN, i);
      assertTrue(SceneTextGenerator.WORDS.contains(s.word()));
      assertTrue(s.word().length() >= 3 && s.word().length() <= 8, s.word());
      assertEquals(s.word(), s.shown().toLowerCase(java.util.Locale.ROOT));
      assertTrue(GlyphOutlines.LOGICAL_FONTS.contains(s.font()));
      assertTrue(Math.abs(s.rotation()) <= 15);
      assertTrue(s.width() >= 64 && s.width() <= 224 && s.height() >= 64 && s.height() <= 224);
      Box sign = s.signBox();
      assertTrue(sign.x() >= 1 && sign.y() >= 1 && sign.right() <= s.width() - 1 && sign.bottom() <= s.height() - 1,
          "sign leaves the image: " + s);
      Box text = s.textBox();
      assertTrue(text.x() >= sign.x() && text.right() <= sign.right() && text.y() >= sign.y()
          && text.bottom() <= sign.bottom());
      assertTrue(s.background().distanceTo(s.signRgb()) >= SceneGenerator.MIN_CONTRAST);
      wide += s.width() > 1.3 * s.height() ? 1 : 0;
      tall += s.height() > 1.3 * s.width() ? 1 : 0;
      small += s.textHeight() < 14 ? 1 : 0;
      rotated += s.rotation() != 0 ? 1 : 0;
    }
    assertTrue(wide > 50 && tall > 50 && small > 20 && rotated > 150,
        "wide " + wide + ", tall " + tall + ", small text " + small + ", rotated " + rotated);
  }

  @Test
  void textIsDrawnInsideItsBox() {
    for (int i = 0; i < 40; i++) {
      TextScene s = GENERATOR.scene(Split.TEST, i);
      BufferedImage image = GENERATOR.render(s);
      Box box = s.textBox();
      int inked = 0;
      for (int y = box.y(); y < box.bottom(); y++) {
        for (int x = box.x(); x < box.right(); x++) {
          // Letters differ clearly from the sign (thin antialiased strokes are blended, so not exact).
          double[] p = Background.channels(image.getRGB(x, y));
          double[] sign = Background.channels(s.signRgb());
          double d = Math.abs(p[0] - sign[0]) + Math.abs(p[1] - sign[1]) + Math.abs(p[2] - sign[2]);
          inked += d > 120 ? 1 : 0;
        }
      }
      assertTrue(inked > 5, "no text pixels in " + s);
    }
  }

  @Test
  void pixelFontFallbackCoversTheAlphabet() {
    for (char c = 'a'; c <= 'z'; c++) {
      Rectangle2D bounds = GlyphOutlines.pixelFont(String.valueOf(c)).getBounds2D();
      assertTrue(bounds.getWidth() >= 3 && bounds.getHeight() >= 5, "letter " + c);
    }
  }

  @Test
  void captionsQuoteTheWordAndTasksShareTheImage() {
    TextScene s = GENERATOR.scene(Split.TRAIN, 3);
    List<String> captions = GENERATOR.captions(s);
    assertTrue(captions.size() >= 5);
    for (String c : captions) {
      assertTrue(c.contains('"' + s.word() + '"'), c);
    }
    SyntheticSceneText caps = new SyntheticSceneText(GENERATOR, Split.TRAIN, 5, SyntheticSceneText.Task.CAPTIONS);
    SyntheticSceneText vqa = new SyntheticSceneText(GENERATOR, Split.TRAIN, 5, SyntheticSceneText.Task.VQA);
    SyntheticSceneText ocr = new SyntheticSceneText(GENERATOR, Split.TRAIN, 5, SyntheticSceneText.Task.OCR);
    Example c = caps.get(3);
    Example q = vqa.get(3);
    Example o = ocr.get(3);
    assertEquals(captions, c.targets());
    assertEquals(SyntheticSceneText.QUESTION, q.prompt());
    assertEquals(10, q.targets().size());
    assertTrue(q.targets().stream().filter(s.word()::equals).count() >= 6);
    assertEquals(List.of(s.word()), o.targets());
    assertArrayEquals(SceneGeneratorTest.pixels(c.image()), SceneGeneratorTest.pixels(o.image()));
  }
}
