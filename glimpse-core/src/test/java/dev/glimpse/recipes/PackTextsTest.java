package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.VqaInfo;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.SceneObject;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticVqa;
import dev.glimpse.data.synth.TextScene;
import dev.glimpse.data.synth.VqaQuestion;
import dev.glimpse.model.GitConfig;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.util.GlimpseException;
import java.awt.image.DataBufferInt;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code data.packTexts}: every question (and the caption) of a synthetic VQA image in one training row. */
class PackTextsTest {
  private final Recipe vqa = Recipes.get("vqa-quick");

  @Test
  void trainingItemsAreImagesWithAllTheirQuestionsAndTheirCaption() {
    DataConfig data = vqa.data().withPackedTexts(true);
    Dataset train = new VqaTask().synthetic(data, vqa.model(), Split.TRAIN, 40);
    assertEquals(40, train.size(), "trainSize counts images");
    SyntheticVqa questions = new SyntheticVqa(new SceneGenerator(SceneConfig.defaults().withSeed(data.seed())),
        Split.TRAIN, 40);
    int moreThanThree = 0;
    int binding = 0;
    for (int i = 0; i < train.size(); i++) {
      List<Example> members = train.get(i).members();
      List<VqaQuestion> sampled = questions.questions(i, Integer.MAX_VALUE);
      List<VqaQuestion> extra = questions.bindingQuestions(i, sampled);
      assertEquals(sampled.size() + extra.size() + 1, members.size(), "image " + i + ": every question and the caption");
      assertEquals(questions.questions(i), sampled.subList(0, 3), "the first three are the unpacked questions");
      Set<String> asked = new HashSet<>();
      int[] pixels = ((DataBufferInt) members.get(0).image().getRaster().getDataBuffer()).getData();
      for (int k = 0; k < members.size() - 1; k++) {
        Example q = members.get(k);
        VqaQuestion expected = k < sampled.size() ? sampled.get(k) : extra.get(k - sampled.size());
        assertEquals(expected.question(), q.prompt());
        assertTrue(asked.add(q.prompt()), "no question twice: " + q.prompt());
        assertTrue(java.util.Arrays.equals(pixels,
            ((DataBufferInt) q.image().getRaster().getDataBuffer()).getData()), "the same image");
      }
      Example caption = members.get(members.size() - 1);
      assertTrue(caption.prompt().isEmpty());
      if (SyntheticVqa.isTextImage(i)) {
        assertTrue(extra.isEmpty(), "a sign has no binding questions");
        String word = members.get(0).get(TextScene.KEY).word();
        assertTrue(caption.targets().get(0).contains('"' + word + '"'), caption.targets().get(0));
      } else {
        assertTrue(caption.targets().size() >= 5, "a scene caption keeps its references");
        Scene scene = members.get(0).get(Scene.KEY);
        for (SceneObject o : scene.objects()) {
          boolean uniqueShape = scene.objects().stream().filter(p -> p.shape() == o.shape()).count() == 1;
          String q = "what color is the " + o.shape().word() + "?";
          assertEquals(uniqueShape, asked.contains(q), "image " + i + ": " + q);
          if (uniqueShape) {
            int at = members.stream().map(Example::prompt).toList().indexOf(q);
            assertEquals(o.color().word(), members.get(at).get(VqaInfo.KEY).answer(), q);
          }
        }
      }
      moreThanThree += sampled.size() > 3 ? 1 : 0;
      binding += extra.size();
    }
    assertTrue(moreThanThree > 10, "most scenes allow four or five question types: " + moreThanThree);
    assertTrue(binding > 20, "binding questions beyond the sampled ones: " + binding);
    assertFalse(new VqaTask().synthetic(data.withCaptionMix(0), vqa.model(), Split.TRAIN, 5).get(0).members()
        .stream().anyMatch(e -> e.prompt().isEmpty()), "no caption without captionMix");
  }

  @Test
  void theTestSplitIsOneQuestionPerItem() {
    Dataset test = new VqaTask().synthetic(vqa.data().withPackedTexts(true), vqa.model(), Split.TEST, 30);
    assertEquals(30, test.size());
    for (int i = 0; i < test.size(); i++) {
      assertEquals(1, test.get(i).members().size());
      assertFalse(test.get(i).prompt().isEmpty());
    }
  }

  @Test
  void otherTasksAreRefused() {
    Recipe ocr = Recipes.get("ocr-quick");
    GlimpseException e = assertThrows(GlimpseException.class, () -> new OcrTask().dataset(
        ocr.data().withPackedTexts(true), ocr.model(), Split.TRAIN, 10));
    assertTrue(e.getMessage().contains("packTexts") && e.getMessage().contains("'ocr'"), e.getMessage());
  }

  @Test
  void aPackedVqaRunTrainsAndEvaluates(@TempDir Path dir) {
    GitConfig model = GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 2, 4)), TransformerConfig.preLn(32, 2, 4)).withMaxTextPositions(32);
    TrainConfig train = TrainConfig.defaults().with(t -> {
      t.steps = 6;
      t.batchSize = 4;
      t.learningRate = 1e-3;
      t.warmupSteps = 2;
      t.beta2 = 0.98;
      t.seed = 7;
      t.logEvery = 1;
      t.maxTextTokens = 32;
    });
    Recipe recipe = new Recipe("vqa-packed-test", "unit-test recipe", VqaTask.NAME, model, train,
        DataConfig.synthetic(200, 6).withCaptionMix(0.5).withPackedTexts(true), new TokenizerConfig(400, 2, 100, null),
        EvalConfig.greedy(4));
    JsonObject summary = TrainRun.run(recipe,
        new TrainRun.Options(dir.resolve("run"), false, Long.MAX_VALUE, true, true, TrainRunTest.QUIET));
    assertEquals(6, summary.get("steps").getAsLong());
    assertTrue(Double.isFinite(summary.get("final_loss").getAsDouble()));
    assertTrue(summary.has("vqa_accuracy"));
  }
}
