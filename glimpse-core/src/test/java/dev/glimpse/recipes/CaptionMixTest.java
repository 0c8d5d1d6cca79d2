package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.Split;
import dev.glimpse.util.GlimpseException;
import org.junit.jupiter.api.Test;

/** {@code data.captionMix}: captions of the same scenes mixed into synthetic VQA training, never into its test split. */
class CaptionMixTest {
  private final Recipe vqa = Recipes.get("vqa-quick");

  @Test
  void trainingHalfCaptionsHalfQuestionsOnTheSameScenes() {
    Dataset train = new VqaTask().synthetic(vqa.data().withCaptionMix(0.5).withPackedTexts(false), vqa.model(),
        Split.TRAIN, 60);
    int captions = 0;
    for (int i = 0; i < train.size(); i++) {
      Example ex = train.get(i);
      if (ex.prompt().isEmpty()) {
        captions++;
        assertTrue(ex.targets().size() >= 5, "a caption example keeps its references");
        assertTrue(ex.get(Scene.KEY) != null);
      } else {
        assertTrue(ex.prompt().endsWith("?"), ex.prompt());
      }
    }
    assertEquals(60, train.size() - captions, "every question once");
    assertEquals(0.5, (double) captions / train.size(), 0.02);
  }

  @Test
  void theTestSplitAndAZeroMixAreQuestionsOnly() {
    for (Dataset d : new Dataset[] {
        new VqaTask().synthetic(vqa.data().withCaptionMix(0.5), vqa.model(), Split.TEST, 30),
        new VqaTask().synthetic(vqa.data().withCaptionMix(0).withPackedTexts(false), vqa.model(), Split.TRAIN, 30)}) {
      assertEquals(30, d.size());
      for (int i = 0; i < d.size(); i++) {
        assertFalse(d.get(i).prompt().isEmpty(), d.name() + " " + i);
      }
    }
  }

  @Test
  void otherTasksAndBadSharesAreRefused() {
    Recipe captions = Recipes.get("quickstart");
    GlimpseException e = assertThrows(GlimpseException.class, () -> new CaptionTask().dataset(
        captions.data().withCaptionMix(0.3), captions.model(), Split.TRAIN, 10));
    assertTrue(e.getMessage().contains("captionMix") && e.getMessage().contains("'captions'"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> vqa.data().withCaptionMix(1));
    assertTrue(bad.getMessage().contains("captionMix must be in [0, 1)"), bad.getMessage());
  }
}
