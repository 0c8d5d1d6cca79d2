package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.ScheduledMixture;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneTextGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.TextScene;
import dev.glimpse.util.GlimpseException;
import java.awt.Font;
import org.junit.jupiter.api.Test;

/**
 * {@code data.cleanTextMix}: clean close-ups of signs (square, large, lower case, one plain font,
 * upright) mixed into synthetic scene-text reading at a fixed share or one that moves over the run
 * ({@code data.cleanTextMixEnd}), never into its test split, refused elsewhere.
 */
class CleanTextMixTest {
  private final Recipe ocr = Recipes.get("ocr-quick");

  private static boolean isCleanCloseUp(TextScene s) {
    return s.width() == s.height() && s.shown().equals(s.word()) && s.font().equals("SansSerif")
        && s.fontStyle() == Font.PLAIN && s.rotation() == 0;
  }

  @Test
  void cleanCloseUpsAreSquareLargeLowerCasePlainAndUpright() {
    SceneTextGenerator clean = new SceneTextGenerator(SceneConfig.defaults(),
        SceneTextGenerator.Layout.CLEAN_CLOSE_UP);
    SceneTextGenerator varied = new SceneTextGenerator(SceneConfig.defaults());
    int variedPlain = 0;
    for (int i = 0; i < 60; i++) {
      TextScene s = clean.scene(Split.TRAIN, i);
      assertTrue(isCleanCloseUp(s), s.toString());
      // as large as the word fits: about 18% of the side for the longest words (8 letters)
      assertTrue(s.textHeight() >= 0.15 * s.width(), s.textHeight() + " of " + s.width());
      variedPlain += isCleanCloseUp(varied.scene(Split.TRAIN, i)) ? 1 : 0;
    }
    assertTrue(variedPlain < 10, "the default layout varies font, case, rotation and canvas: " + variedPlain);
  }

  @Test
  void trainingHalfCloseUpsTheTestSplitNone() {
    Dataset train = new OcrTask().synthetic(ocr.data().withCleanTextMix(0.5), ocr.model(), Split.TRAIN, 40);
    int closeUps = 0;
    for (int i = 0; i < train.size(); i++) {
      Example ex = train.get(i);
      TextScene s = ex.get(TextScene.KEY);
      assertEquals(s.word(), ex.targets().get(0));
      closeUps += isCleanCloseUp(s) ? 1 : 0;
    }
    assertEquals(79, train.size(), "every sign once, close-ups in between: 40 + 39");
    assertTrue(closeUps >= 39 && closeUps < 45, "half close-ups (and the odd varied sign that happens to be one): "
        + closeUps);
    Dataset test = new OcrTask().synthetic(ocr.data().withCleanTextMix(0.5), ocr.model(), Split.TEST, 40);
    assertEquals(40, test.size());
  }

  @Test
  void aScheduledShareFallsOverTheRunAndComesFromTheRecipeFile() {
    JsonObject file = JsonParser.parseString(
        "{\"recipe\": \"ocr-quick\", \"data\": {\"cleanTextMix\": 0.6, \"cleanTextMixEnd\": 0.1, "
            + "\"cleanTextMixRamp\": 0.5}}").getAsJsonObject();
    Recipe r = RecipeFiles.fromJson(file, "test.json");
    assertEquals(0.6, r.data().cleanTextMix());
    assertEquals(0.1, r.data().cleanTextMixEnd());
    assertEquals(0.5, r.data().cleanTextRamp());
    assertEquals(1.0, DataConfig.synthetic(10, 10).cleanTextRamp(), "the whole run by default");
    assertTrue(r.data().schedulesCleanText());
    Dataset train = new OcrTask().synthetic(r.data(), r.model(), Split.TRAIN, 200);
    ScheduledMixture mix = assertInstanceOf(ScheduledMixture.class, train);
    assertEquals(200, mix.size(), "a scheduled mixture keeps the size of the signs");
    int early = 0;
    int late = 0;
    for (int i = 0; i < mix.size(); i++) {
      early += isCleanCloseUp(mix.get(i, 0).get(TextScene.KEY)) ? 1 : 0;
      late += isCleanCloseUp(mix.get(i, 0.5).get(TextScene.KEY)) ? 1 : 0;
    }
    assertTrue(early > 95 && early < 150, "about 60% close-ups at the first step: " + early);
    assertTrue(late < 40, "about 10% from the end of the ramp (half the run) on: " + late);
    assertEquals(200, new OcrTask().synthetic(r.data(), r.model(), Split.TEST, 200).size());
    assertFalse(new OcrTask().synthetic(r.data(), r.model(), Split.TEST, 200) instanceof ScheduledMixture,
        "the test split is never mixed");
    assertFalse(ocr.data().withCleanTextMix(0.5, 0.5).schedulesCleanText(), "the same share at both ends is a constant");
  }

  @Test
  void aHeldShareComesFromTheRecipeFileAndStaysUntilTheHoldEnds() {
    Recipe r = RecipeFiles.fromJson(JsonParser.parseString(
        "{\"recipe\": \"ocr-quick\", \"data\": {\"cleanTextMix\": 0.9, \"cleanTextMixEnd\": 0.05, "
            + "\"cleanTextMixHold\": 0.3, \"cleanTextMixRamp\": 0.6}}").getAsJsonObject(), "test.json");
    assertEquals(0.3, r.data().cleanTextHold());
    assertEquals(0.0, DataConfig.synthetic(10, 10).cleanTextHold(), "no hold by default");
    ScheduledMixture mix = assertInstanceOf(ScheduledMixture.class,
        new OcrTask().synthetic(r.data(), r.model(), Split.TRAIN, 200));
    assertEquals(0.9, mix.share(0.29), 1e-12);
    assertEquals(0.475, mix.share(0.45), 1e-12);
    int held = 0;
    for (int i = 0; i < mix.size(); i++) {
      held += isCleanCloseUp(mix.get(i, 0.25).get(TextScene.KEY)) ? 1 : 0;
    }
    assertTrue(held > 165, "about 90% close-ups while the share is held: " + held);
    assertEquals(0.3, RecipeFiles.fromJson(RecipeFiles.toJson(r), "saved.json").data().cleanTextHold(),
        "the hold survives the saved recipe");
  }

  @Test
  void otherTasksAndBadSharesAreRefused() {
    Recipe vqa = Recipes.get("vqa-quick");
    GlimpseException e = assertThrows(GlimpseException.class, () -> new VqaTask().dataset(
        vqa.data().withCleanTextMix(0.3), vqa.model(), Split.TRAIN, 10));
    assertTrue(e.getMessage().contains("cleanTextMix") && e.getMessage().contains("'vqa'"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ocr.data().withCleanTextMix(1));
    assertTrue(bad.getMessage().contains("cleanTextMix must be in [0, 1)"), bad.getMessage());
    GlimpseException scheduled = assertThrows(GlimpseException.class, () -> new VqaTask().dataset(
        vqa.data().withCleanTextMix(0, 0.2), vqa.model(), Split.TRAIN, 10));
    assertTrue(scheduled.getMessage().contains("cleanTextMix"), scheduled.getMessage());
    GlimpseException end = assertThrows(GlimpseException.class, () -> RecipeFiles.fromJson(JsonParser.parseString(
        "{\"recipe\": \"ocr-quick\", \"data\": {\"cleanTextMixEnd\": 1.5}}").getAsJsonObject(), "bad.json"));
    assertTrue(end.getMessage().contains("cleanTextMixEnd must be in [0, 1)"), end.getMessage());
    GlimpseException ramp = assertThrows(GlimpseException.class, () -> RecipeFiles.fromJson(JsonParser.parseString(
        "{\"recipe\": \"ocr-quick\", \"data\": {\"cleanTextMixRamp\": 0}}").getAsJsonObject(), "bad.json"));
    assertTrue(ramp.getMessage().contains("cleanTextMixRamp must be in (0, 1]"), ramp.getMessage());
    GlimpseException hold = assertThrows(GlimpseException.class, () -> RecipeFiles.fromJson(JsonParser.parseString(
        "{\"recipe\": \"ocr-quick\", \"data\": {\"cleanTextMixHold\": 0.4, \"cleanTextMixRamp\": 0.3}}")
        .getAsJsonObject(), "bad.json"));
    assertTrue(hold.getMessage().contains("cleanTextMixHold (0.4) must be less than cleanTextMixRamp (0.3)"),
        hold.getMessage());
    GlimpseException negative = assertThrows(GlimpseException.class, () -> RecipeFiles.fromJson(JsonParser.parseString(
        "{\"recipe\": \"ocr-quick\", \"data\": {\"cleanTextMixHold\": -0.1}}").getAsJsonObject(), "bad.json"));
    assertTrue(negative.getMessage().contains("cleanTextMixHold must be in [0, 1)"), negative.getMessage());
  }
}
