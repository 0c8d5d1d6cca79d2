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
 * Tiny text-to-image and VLV models for tests: a CLIP checkpoint with random weights and a BPE
 * tokenizer of the synthetic captions, and recipes of a 16x16 DiT and a VLV on it that train in
 * seconds.
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
        captioner ? new VlvCaptionConfig(TransformerConfig.preLn(32, 1, 2), 24) : null);
  }

  public static Recipe stage1(int steps) {
    return new Recipe("tiny-vlv-stage1", "unit-test recipe", "reconstruction", vlvModel(false),
        train(steps, List.of("decoder."), List.of()), DataConfig.synthetic(1000, 3),
        new TokenizerConfig(300, 2, 200, null), EvalConfig.greedy(16).withBatchSize(2));
  }

  /** Stage 2: the MLP and the language model learn (encoder and decoder frozen). */
  public static Recipe stage2(int steps) {
    return new Recipe("tiny-vlv", "unit-test recipe", "vlv", vlvModel(true),
        train(steps, List.of("decoder.", "encoder."), List.of()), DataConfig.synthetic(1000, 3).withFirstTargetProbability(1),
        new TokenizerConfig(300, 2, 200, null), EvalConfig.greedy(16).withBatchSize(2));
  }
}
