package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.synth.Background;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.Split;
import dev.glimpse.util.GlimpseException;
import org.junit.jupiter.api.Test;

/** {@code data.flatMix}: flat drawings mixed into synthetic captioning training, never into its test split. */
class FlatMixTest {
  private final Recipe quickstart = Recipes.get("quickstart");

  private static boolean flat(Scene scene) {
    return scene.background().fromName().endsWith(" tone"); // the wide tones only flat scenes use
  }

  @Test
  void theQuickstartTrainsOnAQuarterOfFlatDrawings() {
    assertEquals(0.25, quickstart.data().flatMix());
    Dataset train = new CaptionTask().synthetic(quickstart.data(), quickstart.model(), Split.TRAIN, 300);
    int flat = 0;
    for (int i = 0; i < train.size(); i++) {
      Scene scene = train.get(i).get(Scene.KEY);
      if (flat(scene)) {
        flat++;
        assertEquals(Background.Kind.PLAIN, scene.background().kind());
        assertEquals(0, scene.noiseAmplitude());
      }
    }
    assertEquals(300, train.size() - flat, "every default scene once");
    assertEquals(0.25, (double) flat / train.size(), 0.01);
    assertTrue(train.name().contains("synthetic-flat-captions"), train.name());
  }

  @Test
  void theTestSplitIsTheDefaultScenesAsBefore() {
    Dataset test = new CaptionTask().synthetic(quickstart.data(), quickstart.model(), Split.TEST, 200);
    Dataset before = new CaptionTask().synthetic(quickstart.data().withFlatMix(0), quickstart.model(), Split.TEST, 200);
    assertEquals(200, test.size());
    for (int i = 0; i < test.size(); i++) {
      Scene scene = test.get(i).get(Scene.KEY);
      assertTrue(!flat(scene), "test item " + i);
      assertEquals(before.get(i).get(Scene.KEY), scene);
    }
  }

  @Test
  void aRecipeSavedBeforeTheOptionLoadsWithoutFlatDrawings() {
    JsonObject file = RecipeFiles.toJson(quickstart);
    file.getAsJsonObject("data").remove("flatMix");
    Recipe old = RecipeFiles.fromJson(file, "old recipe.json");
    assertEquals(0.0, old.data().flatMix());
  }

  @Test
  void otherTasksAndBadSharesAreRefused() {
    Recipe vqa = Recipes.get("vqa-quick");
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> new VqaTask().dataset(vqa.data().withFlatMix(0.2), vqa.model(), Split.TRAIN, 10));
    assertTrue(e.getMessage().contains("flatMix") && e.getMessage().contains("'vqa'"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> quickstart.data().withFlatMix(1));
    assertTrue(bad.getMessage().contains("flatMix must be in [0, 1)"), bad.getMessage());
  }

  @Test
  void theQuickstartSeesSixtyFourPixelsAndItsFortyEightVariantDiffersOnlyThereAndInSteps() {
    JsonObject now = RecipeFiles.toJson(quickstart);
    JsonObject before = RecipeFiles.toJson(Recipes.get("quickstart-48"));
    JsonObject vision = now.getAsJsonObject("model").getAsJsonObject("config").getAsJsonObject("vision");
    assertEquals(64, vision.get("imageSize").getAsInt());
    assertEquals(8, vision.get("patchSize").getAsInt());
    before.getAsJsonObject("model").getAsJsonObject("config").getAsJsonObject("vision").addProperty("imageSize", 64);
    assertEquals(8750, now.getAsJsonObject("train").get("steps").getAsInt());
    assertEquals(7000, before.getAsJsonObject("train").get("steps").getAsInt());
    before.getAsJsonObject("train").addProperty("steps", 8750);
    for (String part : new String[] {"model", "train", "data", "tokenizer", "eval"}) {
      assertEquals(now.get(part), before.get(part), part);
    }
  }
}
