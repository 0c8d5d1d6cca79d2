package dev.glimpse.cli;

import dev.glimpse.testing.CliRun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.glimpse.connect.ResamplerConfig;
import dev.glimpse.model.FlamingoConfig;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.model.LlavaConfig;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.recipes.CaptionTask;
import dev.glimpse.recipes.DataConfig;
import dev.glimpse.recipes.EvalConfig;
import dev.glimpse.recipes.LanguageModels;
import dev.glimpse.recipes.Recipe;
import dev.glimpse.recipes.RecipeFiles;
import dev.glimpse.recipes.TextTask;
import dev.glimpse.recipes.TokenizerConfig;
import dev.glimpse.recipes.VisionTowers;
import dev.glimpse.recipes.VlmTask;
import dev.glimpse.testing.HfFolders;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.util.Json;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector recipes through the command line: a language model trained on text, exported to
 * HuggingFace's LLaMA layout and back bit for bit, then a LLaVA started from that HuggingFace folder
 * ({@code --language-model}) and a GIT tower ({@code --vision-tower}), both stages, then {@code
 * caption}, {@code chat} (several turns) and {@code eval} on it; and the errors a wrong part gives.
 */
class ConnectorCliTest {
  static TrainConfig train(int steps, int maxText) {
    return TrainConfig.defaults().with(t -> {
      t.steps = steps;
      t.batchSize = 4;
      t.learningRate = 3e-3;
      t.warmupSteps = 1;
      t.logEvery = 1;
      t.labelSmoothing = 0;
      t.maxTextTokens = maxText;
    });
  }

  static Path recipe(Path dir, Recipe recipe) throws Exception {
    Path file = dir.resolve(recipe.name() + ".json");
    Json.write(file, RecipeFiles.toJson(recipe));
    return file;
  }

  @Test
  void llavaFromAHuggingFaceLanguageModelTrainsChatsAndEvaluates(@TempDir Path dir) throws Exception {
    LanguageModelConfig lm = new LanguageModelConfig(TransformerConfig.llama(32, 2, 2, 64).with(b -> b.kvHeads = 1), 1,
        160, 0, false);
    Path lmRun = dir.resolve("lm");
    CliRun r = CliRun.of("train", "--config", recipe(dir, new Recipe("cli-lm", "", TextTask.NAME, lm, train(4, 96),
        DataConfig.synthetic(1000, 6), new TokenizerConfig(300, 2, 200, null), EvalConfig.greedy(8))).toString(),
        "--out", lmRun.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.json().has("perplexity") && r.json().has("naming_accuracy"), r.out());

    // to HuggingFace's LlamaForCausalLM and back, bit for bit
    Path hf = dir.resolve("lm-hf");
    r = CliRun.of("export", "hf", "--checkpoint", lmRun.toString(), "--out", hf.toString());
    assertEquals(0, r.exitCode(), r.err());
    JsonObject hfConfig = Json.parse(hf.resolve("config.json")).getAsJsonObject();
    assertEquals("llama", hfConfig.get("model_type").getAsString());
    Path back = dir.resolve("lm-back");
    r = CliRun.of("import", "hf", "--from", hf.toString(), "--out", back.toString());
    assertEquals(0, r.exitCode(), r.err());
    Map<String, SafeTensors.Tensor> original = SafeTensors.read(lmRun.resolve("checkpoint/model.safetensors")).tensors();
    Map<String, SafeTensors.Tensor> imported = SafeTensors.read(back.resolve(Checkpoint.WEIGHTS)).tensors();
    assertEquals(original.keySet(), imported.keySet());
    for (String name : original.keySet()) {
      assertArrayEquals(original.get(name).toFloats(), imported.get(name).toFloats(), name);
    }

    VisionConfig towerConfig = VisionConfig.vit(24, 8, TransformerConfig.preLn(32, 2, 4));
    Path tower = dir.resolve("tower");
    r = CliRun.of("train", "--config", recipe(dir, new Recipe("cli-tower", "", CaptionTask.NAME,
        GitConfig.of(towerConfig, TransformerConfig.preLn(32, 1, 4)).withMaxTextPositions(32), train(2, 32),
        DataConfig.synthetic(100, 2), new TokenizerConfig(300, 2, 100, null), EvalConfig.greedy(8))).toString(),
        "--out", tower.toString(), "--no-eval");
    assertEquals(0, r.exitCode(), r.err());

    LlavaConfig llava = LlavaConfig.onVit(towerConfig, lm, 512);
    Path stage1 = dir.resolve("llava-s1");
    r = CliRun.of("train", "--config", recipe(dir, new Recipe("cli-llava-s1", "", CaptionTask.NAME, llava,
        train(2, 32).withGroups(ParameterGroup.onlyTraining("projector.")), DataConfig.synthetic(100, 2),
        TokenizerConfig.bpe(512).withChatTemplate(ChatTemplate.vicuna()), EvalConfig.greedy(8))).toString(),
        "--vision-tower", tower.toString(), "--language-model", hf.toString(), "--out", stage1.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("language model: 2 x 32 (rotary) from " + hf), r.err());
    assertEquals(r.json().get("trained_parameters").getAsLong(), 2L * (32 * 32 + 32), "only the projector trains");

    Path stage2 = dir.resolve("llava");
    r = CliRun.of("train", "--config", recipe(dir, new Recipe("cli-llava", "", VlmTask.NAME, llava,
        train(2, 160).withFreeze(List.of(VisionTowers.PREFIX)),
        DataConfig.synthetic(100, 2).withFewShotMix(0.5).withFirstTargetProbability(1.0),
        TokenizerConfig.bpe(512).withChatTemplate(ChatTemplate.vicuna()), EvalConfig.greedy(6))).toString(),
        "--init", stage1.toString(), "--out", stage2.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    for (String key : new String[] {"cider", "vqa_accuracy", "fewshot_accuracy_0", "fewshot_accuracy_4"}) {
      assertTrue(r.json().has(key), key + " in " + r.out());
    }

    Path image = Path.of("src/test/resources/images/chelsea.png");
    r = CliRun.of("caption", "--checkpoint", stage2.toString(), "--question", "what color is the circle?",
        "--max-tokens", "4", "--json", image.toString());
    assertEquals(0, r.exitCode(), r.err());
    r = CliRun.of("chat", "--checkpoint", stage2.toString(), "--message", "describe the image briefly.",
        "--message", "how many shapes are there?", "--max-tokens", "4", "--json", image.toString());
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(2, r.json().getAsJsonArray("turns").size());
    assertEquals("vicuna", r.json().get("chat_template").getAsString());
    r = CliRun.of("eval", "--checkpoint", stage2.toString(), "--count", "2", "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.json().has("vqa_accuracy") && r.json().has("cider"), r.out());

    // wrong parts are one clear error each
    FlamingoConfig flamingo = FlamingoConfig.onVit(towerConfig, new ResamplerConfig(1, 4, 4, 1), lm, 1, 512);
    Path flamingoRecipe = recipe(dir, new Recipe("cli-flamingo", "", VlmTask.NAME, flamingo,
        train(1, 96).withGroups(ParameterGroup.onlyTraining("resampler.", "xattn.")), DataConfig.synthetic(100, 2),
        TokenizerConfig.bpe(512), EvalConfig.greedy(4)));
    r = CliRun.of("train", "--config", flamingoRecipe.toString(), "--language-model", tower.toString(), "--out",
        dir.resolve("bad1").toString());
    assertEquals(Main.EXIT_USER_ERROR, r.exitCode());
    assertTrue(r.err().contains("holds a 'git' model; a language model comes from"), r.err());
    r = CliRun.of("train", "--config", flamingoRecipe.toString(), "--vision-tower", lmRun.toString(), "--out",
        dir.resolve("bad2").toString());
    assertEquals(Main.EXIT_USER_ERROR, r.exitCode());
    assertTrue(r.err().contains("holds a 'lm' model, which has no vision encoder"), r.err());
    r = CliRun.of("train", "--config", flamingoRecipe.toString(), "--vision-tower", tower.toString(), "--vision-layer",
        "9", "--out", dir.resolve("bad3").toString());
    assertEquals(Main.EXIT_USER_ERROR, r.exitCode());
    assertTrue(r.err().contains("--vision-layer 9"), r.err());
    r = CliRun.of("train", "--config", flamingoRecipe.toString(), "--init", stage2.toString(), "--language-model",
        hf.toString(), "--out", dir.resolve("bad4").toString());
    assertEquals(Main.EXIT_USER_ERROR, r.exitCode());
    assertTrue(r.err().contains("cannot be combined with --init"), r.err());
    // VLV's --part beside the connectors' parts: one start or the other, and connectors take no --part
    r = CliRun.of("train", "--config", flamingoRecipe.toString(), "--vision-tower", tower.toString(), "--part",
        "decoder=" + lmRun, "--out", dir.resolve("bad5").toString());
    assertEquals(Main.EXIT_USER_ERROR, r.exitCode());
    assertTrue(r.err().contains("--part starts a new model from pre-trained parts; it cannot be combined with"),
        r.err());
    r = CliRun.of("train", "--config", flamingoRecipe.toString(), "--part", "decoder=" + lmRun, "--out",
        dir.resolve("bad6").toString());
    assertEquals(Main.EXIT_USER_ERROR, r.exitCode());
    assertTrue(r.err().contains("--part: a flamingo model takes no parts from other checkpoints"), r.err());
    for (String bad : new String[] {"bad1", "bad5", "bad6"}) {
      assertTrue(Files.notExists(dir.resolve(bad).resolve("checkpoint")), bad);
    }
  }

  /**
   * LLaVA stage 1 on a HuggingFace {@code OPTForCausalLM} folder written by transformers itself
   * (fixtures/hf-extra/opt_causal_lm, whose logits and greedy tokens HfOptCausalLmTest checks against
   * transformers) and an HF CLIP tower: only the projector trains, the OPT and CLIP weights come out
   * bit for bit as they went in, and caption and eval run on the result; the same with opt-350m's
   * narrower token embedding (project_in/out). A weight missing from the folder is one error line
   * before anything is written.
   */
  @Test
  void llavaStage1OnAHuggingFaceOptModel(@TempDir Path dir) throws Exception {
    Path opt = HfFolders.make(dir, "opt_causal_lm");
    Path clip = HfFolders.make(dir, "clip");
    VisionConfig towerConfig = VisionConfig.vit(24, 8, TransformerConfig.preLn(32, 2, 4));
    LanguageModelConfig placeholder = new LanguageModelConfig(TransformerConfig.llama(32, 2, 2, 64), 1, 160, 0, false);
    Path recipe = recipe(dir, new Recipe("cli-llava-opt-s1", "", CaptionTask.NAME,
        LlavaConfig.onVit(towerConfig, placeholder, 512),
        train(3, 32).withGroups(ParameterGroup.onlyTraining("projector.")), DataConfig.synthetic(100, 2),
        TokenizerConfig.bpe(512), EvalConfig.greedy(6)));
    Path stage1 = dir.resolve("llava-opt");
    CliRun r = CliRun.of("train", "--config", recipe.toString(), "--vision-tower", clip.toString(), "--language-model",
        opt.toString(), "--out", stage1.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("language model: 2 x 32 (learned positions) from " + opt + " (frozen)"), r.err());
    // CLIP vision width 32 -> 2-layer MLP -> OPT width 32
    assertEquals(2L * (32 * 32 + 32), r.json().get("trained_parameters").getAsLong(), "only the projector trains");
    assertEquals(3, r.json().get("steps").getAsInt(), r.out());

    // the frozen OPT model (and the CLIP tower) are bit-identical after training
    Map<String, SafeTensors.Tensor> trained = SafeTensors.read(stage1.resolve("checkpoint/model.safetensors")).tensors();
    Map<String, SafeTensors.Tensor> hf = SafeTensors.read(opt.resolve("model.safetensors")).tensors();
    LanguageModels.Pretrained lm = LanguageModels.read(opt);
    assertEquals(hf.size(), lm.weights().size(), "one Glimpse tensor per OPT tensor (tied head: none)");
    List<String> lmNames = new ArrayList<>();
    for (String name : trained.keySet()) {
      if (LanguageModels.isLanguageModel(name)) {
        lmNames.add(name);
        assertArrayEquals(lm.weights().get(name).toFloats(), trained.get(name).toFloats(), name);
      }
    }
    assertEquals(lm.weights().keySet(), new java.util.HashSet<>(lmNames));
    String[][] sameTensor = {
        {"text_embedding.token_embedding", "model.decoder.embed_tokens.weight"},
        {"text_embedding.position_embedding", "model.decoder.embed_positions.weight"},
        {"text.layers.1.mlp.fc2.weight", "model.decoder.layers.1.fc2.weight"},
        {"text.layers.0.attention.query.bias", "model.decoder.layers.0.self_attn.q_proj.bias"},
        {"text.final_norm.weight", "model.decoder.final_layer_norm.weight"}};
    for (String[] pair : sameTensor) {
      assertArrayEquals(hf.get(pair[1]).toFloats(), trained.get(pair[0]).toFloats(), pair[0] + " = " + pair[1]);
    }
    Map<String, SafeTensors.Tensor> tower = VisionTowers.read(clip).weights();
    for (Map.Entry<String, SafeTensors.Tensor> e : tower.entrySet()) {
      assertArrayEquals(e.getValue().toFloats(), trained.get(VisionTowers.PREFIX + e.getKey()).toFloats(), e.getKey());
    }

    Path image = Path.of("src/test/resources/images/chelsea.png");
    r = CliRun.of("caption", "--checkpoint", stage1.toString(), "--max-tokens", "4", "--json", image.toString());
    assertEquals(0, r.exitCode(), r.err());
    r = CliRun.of("eval", "--checkpoint", stage1.toString(), "--count", "2", "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.json().has("CIDEr") && r.json().getAsJsonArray("samples").size() == 2, r.out());

    // opt-350m's layout (word_embed_proj_dim 16 against hidden_size 32): the projector gives 16-wide
    // visual tokens, which project_in takes to the stack; the OPT weights, project_in/out included,
    // come out as they went in, and the result captions
    Path projDim = HfFolders.make(dir, "opt_proj_dim");
    Path narrow = dir.resolve("llava-opt-proj");
    r = CliRun.of("train", "--config", recipe.toString(), "--vision-tower", clip.toString(), "--language-model",
        projDim.toString(), "--out", narrow.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals((32L * 16 + 16) + (16 * 16 + 16), r.json().get("trained_parameters").getAsLong(),
        "the projector ends at the embedding width, 16");
    Map<String, SafeTensors.Tensor> narrowHf = SafeTensors.read(projDim.resolve("model.safetensors")).tensors();
    Map<String, SafeTensors.Tensor> narrowTrained =
        SafeTensors.read(narrow.resolve("checkpoint/model.safetensors")).tensors();
    assertArrayEquals(narrowHf.get("model.decoder.project_in.weight").toFloats(),
        narrowTrained.get("text_embedding.project_in.weight").toFloats());
    assertArrayEquals(narrowHf.get("model.decoder.project_out.weight").toFloats(),
        narrowTrained.get("text.project_out.weight").toFloats());
    r = CliRun.of("caption", "--checkpoint", narrow.toString(), "--max-tokens", "4", "--json", image.toString());
    assertEquals(0, r.exitCode(), r.err());

    // a weight missing from the file: one line, nothing written
    Path missing = HfFolders.make(dir.resolve("missing"), "opt_causal_lm");
    List<SafeTensors.Tensor> kept = new ArrayList<>();
    for (SafeTensors.Tensor t : hf.values()) {
      if (!t.name().equals("model.decoder.layers.0.self_attn.k_proj.weight")) {
        kept.add(SafeTensors.Tensor.ofFloats(t.name(), t.shape(), t.toFloats()));
      }
    }
    SafeTensors.write(missing.resolve("model.safetensors"), kept, Map.of("format", "pt"));
    r = CliRun.of("train", "--config", recipe.toString(), "--vision-tower", clip.toString(), "--language-model",
        missing.toString(), "--out", dir.resolve("bad2").toString());
    assertEquals(Main.EXIT_USER_ERROR, r.exitCode());
    assertTrue(r.err().contains("missing model.decoder.layers.0.self_attn.k_proj.weight [32, 32]"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(Files.notExists(dir.resolve("bad2").resolve("checkpoint")));
  }
}
