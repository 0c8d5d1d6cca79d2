package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.connect.QFormerConfig;
import dev.glimpse.connect.ResamplerConfig;
import dev.glimpse.model.Blip2Config;
import dev.glimpse.model.FlamingoConfig;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.model.LlavaConfig;
import dev.glimpse.model.Models;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.RunLog;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.util.SafeTensors;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector families end to end on tiny models: a language model trained on text alone and a GIT
 * tower, then LLaVA (both stages, chained), BLIP-2 (stage 1 with ITC, ITM and ITG, then stage 2) and
 * Flamingo started from them. Checks what each stage may change (LLaVA stage 1: the projector only, all
 * else bit-identical; BLIP-2: the Q-Former and projection; Flamingo: the resampler and the gated layers,
 * whose gates open), that the pre-trained parts arrive intact, and that the vlm evaluation reports
 * captions, VQA and few-shot accuracy.
 */
class ConnectorRecipesTest {
  static final PrintStream QUIET = TrainRunTest.QUIET;
  @TempDir
  static Path dir;
  static Path lm;
  static Path tower;

  static TrainConfig train(int steps, double lr, int maxText) {
    return TrainConfig.defaults().with(t -> {
      t.steps = steps;
      t.batchSize = 4;
      t.learningRate = lr;
      t.warmupSteps = 1;
      t.logEvery = 1;
      t.labelSmoothing = 0;
      t.maxTextTokens = maxText;
    });
  }

  static LanguageModelConfig lmConfig() {
    return new LanguageModelConfig(TransformerConfig.llama(32, 2, 2, 64).with(b -> b.kvHeads = 1), 1, 160, 0, false);
  }

  static VisionConfig towerConfig() {
    return VisionConfig.vit(24, 8, TransformerConfig.preLn(32, 2, 4));
  }

  static DataConfig vlmData() {
    return DataConfig.synthetic(500, 4).withFirstTargetProbability(1.0).withFewShotMix(0.5);
  }

  @BeforeAll
  static void pretrainedParts() {
    lm = dir.resolve("lm");
    TrainRun.run(new Recipe("test-lm", "", TextTask.NAME, lmConfig(), train(12, 3e-3, 96),
        DataConfig.synthetic(2000, 12), new TokenizerConfig(300, 2, 300, null), EvalConfig.greedy(8)),
        new TrainRun.Options(lm, false, Long.MAX_VALUE, true, true, QUIET));
    tower = dir.resolve("tower");
    GitConfig git = GitConfig.of(towerConfig(), TransformerConfig.preLn(32, 1, 4)).withMaxTextPositions(32);
    TrainRun.run(new Recipe("test-tower", "", CaptionTask.NAME, git, train(3, 1e-3, 32), DataConfig.synthetic(200, 4),
        new TokenizerConfig(300, 2, 100, null), EvalConfig.greedy(8)),
        new TrainRun.Options(tower, false, Long.MAX_VALUE, false, true, QUIET));
  }

  static TrainRun.Options parts(Path out) {
    return new TrainRun.Options(out, false, Long.MAX_VALUE, true, true, QUIET, null, tower, lm, null,
        ai.djl.Device.cpu());
  }

  static Map<String, SafeTensors.Tensor> weights(Path run) {
    return SafeTensors.read(run.resolve(Checkpoint.RUN_CHECKPOINT).resolve(Checkpoint.WEIGHTS)).tensors();
  }

  static float[] values(Map<String, SafeTensors.Tensor> w, String name) {
    assertNotNull(w.get(name), name);
    return w.get(name).toFloats();
  }

  @Test
  void theLanguageModelLearnsTextAlone() throws Exception {
    List<String> lines = Files.readAllLines(lm.resolve(RunLog.FILE));
    double first = JsonParser.parseString(lines.get(0)).getAsJsonObject().get("loss_lm").getAsDouble();
    double last = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject().get("loss_lm").getAsDouble();
    assertTrue(last < first * 0.9, first + " -> " + last);
  }

  @Test
  void llavaStageOneChangesOnlyTheProjectorAndStageTwoFollowsIt() {
    LlavaConfig model = LlavaConfig.onVit(towerConfig(), lmConfig(), 512);
    Recipe stage1 = new Recipe("test-llava-s1", "", CaptionTask.NAME, model,
        train(3, 1e-2, 24).withGroups(ParameterGroup.onlyTraining("projector.")), DataConfig.synthetic(200, 4),
        TokenizerConfig.bpe(512).withChatTemplate(ChatTemplate.vicuna()), EvalConfig.greedy(8));
    Recipes.register("test-llava-s1", () -> stage1);
    Recipe stage2 = new Recipe("test-llava", "", VlmTask.NAME, model,
        train(3, 1e-3, 160).withFreeze(List.of(VisionTowers.PREFIX)), vlmData(),
        TokenizerConfig.bpe(512).withChatTemplate(ChatTemplate.vicuna()), EvalConfig.greedy(6)).after("test-llava-s1");
    Path run = dir.resolve("llava");
    JsonObject summary = TrainRun.run(stage2, parts(run));

    // stage 1: only the projector moved; the tower and the language model are the checkpoints' own
    Map<String, SafeTensors.Tensor> first = weights(run.resolve("test-llava-s1"));
    Map<String, SafeTensors.Tensor> towerWeights = weights(tower);
    Map<String, SafeTensors.Tensor> lmWeights = weights(lm);
    Map<String, SafeTensors.Tensor> fresh = freshWeights(run.resolve("test-llava-s1"));
    for (String name : first.keySet()) {
      float[] trained = values(first, name);
      if (name.startsWith("projector.")) {
        assertFalse(java.util.Arrays.equals(values(fresh, name), trained), name + " is trained");
      } else if (name.startsWith("vision.")) {
        assertArrayEquals(values(towerWeights, name), trained, name);
      } else if (name.equals("text_embedding.token_embedding") || name.equals("lm_head.weight")) {
        float[] original = values(lmWeights, name);
        assertArrayEquals(original, java.util.Arrays.copyOf(trained, original.length), name + ": the LM's rows");
        float[] initial = values(fresh, name);
        assertArrayEquals(java.util.Arrays.copyOfRange(initial, original.length, initial.length),
            java.util.Arrays.copyOfRange(trained, original.length, trained.length),
            name + ": the image token's row, as initialised");
      } else {
        assertArrayEquals(values(lmWeights, name), trained, name);
      }
    }
    // stage 2 started from stage 1 and trained the projector and the language model, not the tower
    Map<String, SafeTensors.Tensor> second = weights(run);
    assertArrayEquals(values(towerWeights, "vision.patch_embed.weight"), values(second, "vision.patch_embed.weight"));
    assertFalse(java.util.Arrays.equals(values(first, "text.layers.0.mlp.up.weight"),
        values(second, "text.layers.0.mlp.up.weight")));
    assertEquals(1, summary.getAsJsonArray("stages").size());
    for (String key : new String[] {"cider", "vqa_accuracy", "fewshot_accuracy_0", "fewshot_accuracy_1",
        "fewshot_accuracy_2", "fewshot_accuracy_4"}) {
      assertTrue(summary.has(key), "summary lacks " + key);
    }
    assertEquals(9.0, summary.get("visual_tokens_per_image").getAsDouble(), "24px / patch 8: 3x3 patches, CLS dropped");
    assertTrue(Files.isRegularFile(run.resolve(Checkpoint.RUN_CHECKPOINT).resolve(ChatTemplate.FILE)),
        "the chat template is saved with the tokenizer");
  }

  @Test
  void blip2StageOneLearnsItcItmItgThenStageTwoPromptsTheFrozenLanguageModel() throws Exception {
    QFormerConfig qformer = QFormerConfig.of(TransformerConfig.preLn(32, 1, 4).with(b -> {
      b.preNorm = false;
      b.finalNorm = false;
    }), 4).withTextBranch(1, 24, 16);
    Blip2Config model = Blip2Config.onVit(towerConfig(), qformer, lmConfig(), 512);
    Recipe stage1 = new Recipe("test-blip2-s1", "", CaptionTask.NAME, model,
        train(3, 1e-3, 24).withGroups(ParameterGroup.onlyTraining("qformer.")).withObjective("representation"),
        DataConfig.synthetic(200, 4), TokenizerConfig.bpe(512), EvalConfig.greedy(8));
    Recipes.register("test-blip2-s1", () -> stage1);
    Recipe stage2 = new Recipe("test-blip2", "", VlmTask.NAME, model,
        train(3, 1e-3, 96).withGroups(ParameterGroup.onlyTraining("qformer.", "language_projection."))
            .withObjective("generative"), vlmData(),
        TokenizerConfig.bpe(512).withChatTemplate(ChatTemplate.questionAnswer()), EvalConfig.greedy(6))
        .after("test-blip2-s1");
    Path run = dir.resolve("blip2");
    JsonObject summary = TrainRun.run(stage2, parts(run));
    JsonObject record = JsonParser.parseString(
        Files.readAllLines(run.resolve("test-blip2-s1").resolve(RunLog.FILE)).get(0)).getAsJsonObject();
    double sum = 0;
    for (String part : new String[] {"loss_itc", "loss_itm", "loss_itg"}) {
      assertTrue(record.has(part), "stage 1 logs " + part);
      sum += record.get(part).getAsDouble();
    }
    assertEquals(record.get("loss").getAsDouble(), sum, 1e-4);
    assertTrue(record.has("temperature"));
    Map<String, SafeTensors.Tensor> first = weights(run.resolve("test-blip2-s1"));
    Map<String, SafeTensors.Tensor> second = weights(run);
    for (String name : second.keySet()) {
      boolean trained = name.startsWith("qformer.") || name.startsWith("language_projection.");
      if (!trained) {
        assertArrayEquals(values(first, name), values(second, name), name + " is frozen in stage 2");
      }
    }
    assertFalse(java.util.Arrays.equals(values(first, "language_projection.linear.weight"),
        values(second, "language_projection.linear.weight")));
    assertTrue(summary.has("vqa_accuracy") && summary.has("cider") && summary.has("fewshot_accuracy_4"));
    assertEquals(4.0, summary.get("visual_tokens_per_image").getAsDouble(), "the Q-Former's 4 queries");
  }

  @Test
  void flamingoTrainsItsResamplerAndGatesAndReadsFewShotSequences() {
    FlamingoConfig model = FlamingoConfig.onVit(towerConfig(), new ResamplerConfig(1, 4, 4, 1), lmConfig(), 1, 512);
    Recipe recipe = new Recipe("test-flamingo", "", VlmTask.NAME, model,
        train(4, 1e-2, 96).withGroups(ParameterGroup.onlyTraining("resampler.", "xattn.")), vlmData(),
        TokenizerConfig.bpe(512).withChatTemplate(ChatTemplate.questionAnswer()), EvalConfig.greedy(6));
    Path run = dir.resolve("flamingo");
    JsonObject summary = TrainRun.run(recipe, parts(run));
    Map<String, SafeTensors.Tensor> w = weights(run);
    Map<String, SafeTensors.Tensor> lmWeights = weights(lm);
    assertArrayEquals(values(lmWeights, "text.layers.1.attention.query.weight"),
        values(w, "text.layers.1.attention.query.weight"), "the language model is frozen");
    assertTrue(Math.abs(values(w, "xattn.layers.0.attention_gate")[0]) > 0, "the gate opened");
    for (int k : VlmTask.SHOTS) {
      double accuracy = summary.get("fewshot_accuracy_" + k).getAsDouble();
      assertTrue(accuracy >= 0 && accuracy <= 1);
    }
    assertEquals(4.0, summary.get("visual_tokens_per_image").getAsDouble(), "the resampler's 4 latents");
    assertEquals(4, summary.getAsJsonObject("eval").getAsJsonObject("fewshot").getAsJsonObject("4_shot")
        .get("sequences").getAsInt());
  }

  @Test
  void anyResLlavaTrainsAndAnswersOnTiledImages() {
    LlavaConfig model = LlavaConfig.onVit(towerConfig(), lmConfig(), 512)
        .withAnyRes(List.of(List.of(24, 48), List.of(48, 24), List.of(48, 48)));
    Recipe recipe = new Recipe("test-llava-anyres", "", VlmTask.NAME, model,
        train(2, 1e-3, 160).withFreeze(List.of(VisionTowers.PREFIX)), DataConfig.synthetic(200, 2),
        TokenizerConfig.bpe(512).withChatTemplate(ChatTemplate.vicuna()), EvalConfig.greedy(4));
    Path run = dir.resolve("llava-anyres");
    JsonObject summary = TrainRun.run(recipe, parts(run));
    assertTrue(summary.has("vqa_accuracy") && summary.has("fewshot_accuracy_2"));
    assertTrue(summary.get("visual_tokens_per_image").getAsDouble() > 9, "the base view's 9 tokens and the tiles'");
    assertEquals(32, values(weights(run), "image_newline").length, "the newline lives in the LM's space");
  }

  // the initial weights of a checkpoint's model: the same config and seed, nothing loaded
  private static Map<String, SafeTensors.Tensor> freshWeights(Path run) {
    Path checkpoint = run.resolve(Checkpoint.RUN_CHECKPOINT);
    var config = Checkpoint.readConfig(checkpoint).model();
    try (NDManager m = NDManager.newBaseManager(); ParameterStore store = new ParameterStore(m, 42)) {
      Models.build(config, store.root());
      Map<String, SafeTensors.Tensor> out = new java.util.HashMap<>();
      for (SafeTensors.Tensor t : store.toTensors()) {
        out.put(t.name(), t);
      }
      return out;
    }
  }
}
