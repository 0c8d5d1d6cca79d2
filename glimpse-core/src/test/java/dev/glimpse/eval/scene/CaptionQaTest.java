package dev.glimpse.eval.scene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.synth.CaptionGrammar;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticVqa;
import dev.glimpse.data.synth.VqaQuestion;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Text-only QA: every synthetic VQA question about a scene is answered right from the scene's own
 * canonical caption, and mostly wrong from another scene's; what a caption does not say is null.
 */
class CaptionQaTest {
  private static final int IMAGES = 300;

  private static double accuracy(int captionOffset, int wording) {
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(12));
    SyntheticVqa vqa = new SyntheticVqa(scenes, Split.TEST, IMAGES + captionOffset);
    int asked = 0;
    int right = 0;
    for (int i = 0; i < IMAGES; i++) {
      if (SyntheticVqa.isTextImage(i)) {
        continue;
      }
      List<String> captions = CaptionGrammar.captions(scenes.scene(Split.TEST, i + captionOffset));
      String caption = captions.get(wording % captions.size());
      for (VqaQuestion q : vqa.questions(i, 5)) {
        asked++;
        right += q.answer().equals(CaptionQa.answer(q.question(), caption)) ? 1 : 0;
      }
    }
    return (double) right / asked;
  }

  @Test
  void theCanonicalCaptionAnswersEveryQuestionAboutItsScene() {
    assertEquals(1.0, accuracy(0, 0), 1e-12);
  }

  @Test
  void otherWordingsAnswerNearlyAllAndAnotherScenesCaptionFarFewer() {
    for (int wording = 1; wording < 6; wording++) {
      double a = accuracy(0, wording);
      assertTrue(a > 0.9, "wording " + wording + ": " + a);
    }
    double wrong = accuracy(1, 0);
    assertTrue(wrong < 0.6, "another scene's caption: " + wrong);
  }

  @Test
  void whatTheCaptionDoesNotSayIsUnanswered() {
    assertNull(CaptionQa.answer("what color is the star?", "a large red circle on the left"));
    assertNull(CaptionQa.answer("where is the red circle?", "a large red circle"));
    assertEquals("left", CaptionQa.answer("where is the red circle?", "a large red circle on the left"));
    assertEquals("no", CaptionQa.answer("is there a blue star?", "a large red circle on the left"));
    assertEquals("yes", CaptionQa.answer("is the blue star to the right of the red circle?",
        "a small red circle to the left of a large blue star"));
    assertEquals("0", CaptionQa.answer("how many green shapes are there?", "a small red circle"));
    assertNull(CaptionQa.answer("what does the sign say?", "a small red circle"));
  }
}
