package dev.glimpse.testing;

import ai.djl.ndarray.NDManager;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.synth.CaptionGrammar;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.model.ClipConfig;
import dev.glimpse.model.ClipModel;
import dev.glimpse.model.ClipTextConfig;
import dev.glimpse.model.DenoiserConfig;
import dev.glimpse.model.DiffusionConfig;
import dev.glimpse.model.LanguageModel;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.model.NoiseSchedule;
import dev.glimpse.model.VlvCaptionConfig;
import dev.glimpse.model.VlvConfig;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.recipes.DataConfig;
import dev.glimpse.recipes.EvalConfig;
import dev.glimpse.recipes.Recipe;
import dev.glimpse.recipes.TokenizerConfig;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiny text-to-image and VLV models for tests: a CLIP checkpoint and a language-model checkpoint with
 * random weights, each with a BPE tokenizer of the synthetic captions of its own, and recipes of a
 * 16x16 DiT and a VLV on them that train in seconds.
 */
public final class TinyVlv {
  public static final int SIDE = 16;

  private TinyVlv() {}

  /** Writes a CLIP checkpoint (random weights, 24 text positions) with a tokenizer of synthetic captions. */
  public static void clipCheckpoint(Path dir) {
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(3));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      texts.addAll(CaptionGrammar.captions(scenes.scene(Split.TRAIN, i)));
    }
    try (HfTokenizer tokenizer = new BpeTrainer(300, 2).train(texts);
        NDManager manager = NDManager.newBaseManager()) {
      ClipConfig config = new ClipConfig(VisionConfig.vit(32, 16, TransformerConfig.preLn(32, 1, 2)),
          TransformerConfig.preLn(32, 2, 2), tokenizer.vocabSize(), 24, 16, tokenizer.special().eos(), false);
      ParameterStore store = new ParameterStore(manager, 11);
      new ClipModel(store.root(), config);
      Checkpoint.write(dir, new CheckpointConfig(config, ImageTransform.clip(32), null, List.of(), null, null), store,
          tokenizer, null, null);
    }
  }

  /** The tiny language model's stack: LLaMA-style (RMSNorm, rotary, SwiGLU, GQA), 2x32, untied head. */
  public static LanguageModelConfig languageModel(int vocabSize) {
    return new LanguageModelConfig(TransformerConfig.llama(32, 2, 2, 64).with(b -> b.kvHeads = 1), vocabSize, 64, 0,
        false);
  }

  /**
   * Writes an {@code lm} checkpoint (random weights, seed 13) with a BPE tokenizer of synthetic captions
   * of its own, 280 ids at most: not the CLIP tokenizer of {@link #clipCheckpoint}, so that a test sees
   * which of the two a model reads with.
   */
  public static void languageModelCheckpoint(Path dir) {
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(4));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      texts.addAll(CaptionGrammar.captions(scenes.scene(Split.TRAIN, i)));
    }
    try (HfTokenizer tokenizer = new BpeTrainer(280, 2).train(texts);
        NDManager manager = NDManager.newBaseManager()) {
      LanguageModelConfig config = languageModel(tokenizer.vocabSize());
      ParameterStore store = new ParameterStore(manager, 13);
      new LanguageModel(store.root(), config);
      Checkpoint.write(dir, new CheckpointConfig(config, ImageTransform.square(1), null, List.of(), null, null), store,
          tokenizer, null, null);
    }
  }

  private static TrainConfig train(int steps, List<String> freeze, List<ParameterGroup> groups) {
    return TrainConfig.defaults().with(t -> {
      t.steps = steps;
      t.batchSize = 4;
      t.learningRate = 1e-3;
      t.warmupSteps = 1;
      t.seed = 5;
      t.logEvery = 1;
      t.maxTextTokens = 24;
      t.freeze = freeze;
      t.groups = groups;
    });
  }

  /** A 16x16 DiT (1x32, 4x4 patches) over a placeholder text encoder, 2 sampling steps at guidance 2. */
  public static DiffusionConfig diffusionModel() {
    ClipTextConfig text = new ClipTextConfig(TransformerConfig.preLn(32, 1, 2), 300, 24);
    return new DiffusionConfig(text, DenoiserConfig.of(SIDE, 4, TransformerConfig.preLn(32, 1, 2)),
        NoiseSchedule.cosine(50), 0.2, 2, 2, true);
  }

  public static Recipe diffusion(int steps) {
    return new Recipe("tiny-diffusion", "unit-test recipe", "text-to-image", diffusionModel(),
        train(steps, List.of("text_encoder."), List.of()), DataConfig.synthetic(1000, 3),
        new TokenizerConfig(300, 2, 200, null), EvalConfig.greedy(16).withBatchSize(2));
  }

  public static VlvConfig vlvModel(boolean captioner) {
    return new VlvConfig(VisionConfig.vit(SIDE, 4, TransformerConfig.preLn(32, 1, 2)), 4,
        TransformerConfig.preLn(32, 1, 2), diffusionModel(),
        captioner ? new VlvCaptionConfig(languageModel(1)) : null);
  }

  public static Recipe stage1(int steps) {
    return new Recipe("tiny-vlv-stage1", "unit-test recipe", "reconstruction", vlvModel(false),
        train(steps, List.of("decoder."), List.of()), DataConfig.synthetic(1000, 3),
        new TokenizerConfig(300, 2, 200, null), EvalConfig.greedy(16).withBatchSize(2));
  }

  /**
   * Stage 2: the MLP and the language model learn (encoder and decoder frozen); the language model is a
   * placeholder that {@code --part language-model=} replaces.
   */
  public static Recipe stage2(int steps) {
    return stage2(steps, List.of("decoder.", "encoder."));
  }

  /** Stage 2 with the MLP alone learning (the language model frozen too). */
  public static Recipe stage2MlpOnly(int steps) {
    return stage2(steps, List.of("decoder.", "encoder.", "caption.lm."));
  }

  private static Recipe stage2(int steps, List<String> freeze) {
    return new Recipe("tiny-vlv", "unit-test recipe", "vlv", vlvModel(true), train(steps, freeze, List.of()),
        DataConfig.synthetic(1000, 3).withFirstTargetProbability(1), new TokenizerConfig(300, 2, 200, null),
        EvalConfig.greedy(16).withBatchSize(2));
  }
}
