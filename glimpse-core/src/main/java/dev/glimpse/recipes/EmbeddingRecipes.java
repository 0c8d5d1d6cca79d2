package dev.glimpse.recipes;

import dev.glimpse.model.ClipConfig;
import dev.glimpse.model.MmGemConfig;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.train.TrainConfig;
import java.util.List;

/**
 * The recipes of the embedding models: CLIP, MM-GEM (stage 1 and its two ablations, stage 2 on
 * regions). Every one trains on the synthetic scenes and ends with retrieval figures
 * ({@link RetrievalTask}); their measurements and how they compare are in docs/mmgem.md and docs/clip.md.
 */
final class EmbeddingRecipes {
  private EmbeddingRecipes() {}

  /** A recipe's scale: the quick one fits 15 minutes on 2 cores, the tiny one is longer and larger. */
  record Scale(String suffix, int imageSize, int patchSize, int width, int visionLayers, int textLayers, int steps,
      int batch, int testSize) {}

  static final Scale QUICK = new Scale("quick", 48, 8, 128, 4, 3, 2800, 64, 1000);
  static final Scale TINY = new Scale("tiny", 64, 8, 192, 4, 4, 6000, 64, 1000);

  /** BPE ids 0-3 are pad, bos, eos, unk ({@code BpeTrainer}): CLIP reads its text embedding at eos. */
  static final int BPE_EOS = 2;

  /** The longest caption a run trains on, special tokens included. */
  static final int MAX_TEXT_TOKENS = 32;

  /** The vision encoder of both designs: a ViT without extra norms, init std 0.1 as the quick GIT. */
  static VisionConfig vision(Scale s) {
    return VisionConfig.vit(s.imageSize(), s.patchSize(),
        TransformerConfig.preLn(s.width(), s.visionLayers(), s.width() / 32).withInitStd(0.1));
  }

  /**
   * CLIP (the baseline and a design of its own): the ViT with a CLS token and CLIP's pre- and
   * post-norms, a causal pre-LN text transformer with learned positions (its table, like CLIP's 77, is
   * as long as the texts it trains on), projections into a joint space of the model width; symmetric
   * InfoNCE with the learned temperature. Run: {@code ./glimpse train --recipe clip-quick --out runs/clip-quick}.
   */
  static Recipe clip(Scale s) {
    VisionConfig vision = vision(s).with(b -> {
      b.classToken = true;
      b.preNorm = true;
      b.postNorm = true;
    });
    TransformerConfig text = TransformerConfig.preLn(s.width(), s.textLayers(), s.width() / 32).withInitStd(0.1);
    ClipConfig model = ClipConfig.of(vision, text, MAX_TEXT_TOKENS, s.width(), BPE_EOS);
    return new Recipe("clip-" + s.suffix(),
        "CLIP (ViT " + s.visionLayers() + "x" + s.width() + ", text " + s.textLayers() + "x" + s.width() + ", "
            + s.imageSize() + "x" + s.imageSize() + ") trained contrastively on synthetic scenes; "
            + (s == QUICK ? "~15 min on 2 cores." : "longer run."),
        RetrievalTask.NAME, model, train(s, List.of()), DataConfig.synthetic(400_000, s.testSize()),
        TokenizerConfig.bpe(512), EvalConfig.greedy(24));
  }

  /**
   * MM-GEM stage 1 (or an ablation, {@code objectives}): the ViT, mean pool, h1/h2/h3 and one
   * LLaMA-style language model (rotary positions, so it reads dense descriptions longer than its
   * captions); both paths on every batch, temperature 0.07 to 0.01. Projections learn at the run's
   * rate, the backbones at {@link #BACKBONE_LR_SCALE} of it (the paper's 5e-4 / 5e-5 split, for
   * pre-trained backbones; ours start from scratch, see docs/mmgem.md). Run:
   * {@code ./glimpse train --recipe mmgem-quick --out runs/mmgem-quick}.
   */
  static Recipe mmgem(Scale s, String objectives) {
    TransformerConfig text = TransformerConfig.llama(s.width(), s.textLayers(), s.width() / 32, 4 * s.width())
        .withInitStd(0.1);
    MmGemConfig model = MmGemConfig.of(vision(s), text, s.width()).with(b -> {
      b.objectives = objectives;
      b.maxTextPositions = LM_POSITIONS;
    });
    String suffix = switch (objectives) {
      case MmGemConfig.EMBEDDING -> "-clip-only";
      case MmGemConfig.GENERATION -> "-cap-only";
      default -> "";
    };
    String what = switch (objectives) {
      case MmGemConfig.EMBEDDING -> "MM-GEM ablation: L_emb only (CLIP-only)";
      case MmGemConfig.GENERATION -> "MM-GEM ablation: L_gen only (caption-only, no [EMB])";
      default -> "MM-GEM stage 1: one LM embeds ([EMB]) and captions ([CAP]), L_emb + L_gen";
    };
    List<ParameterGroup> groups = List.of(
        ParameterGroup.scaled("projections", 1.0, "h1.", "h2.", "h3."),
        ParameterGroup.scaled("backbones", BACKBONE_LR_SCALE, "vision.", "text.", "text_embedding."));
    return new Recipe("mmgem-" + s.suffix() + suffix,
        what + " (ViT " + s.visionLayers() + "x" + s.width() + ", LM " + s.textLayers() + "x" + s.width() + ", "
            + s.imageSize() + "x" + s.imageSize() + ") on synthetic scenes" + (s == QUICK ? "; ~15 min on 2 cores." : "."),
        RetrievalTask.NAME, model, train(s, groups), DataConfig.synthetic(400_000, s.testSize()),
        TokenizerConfig.bpe(512), EvalConfig.greedy(24));
  }

  /**
   * The longest sequence MM-GEM's language model reads: rotary positions cost nothing per position,
   * and dense descriptions run to about 100 tokens.
   */
  static final int LM_POSITIONS = 160;

  /** The backbones' learning rate as a fraction of the projections' (the paper: 5e-5 / 5e-4). */
  static final double BACKBONE_LR_SCALE = 0.5;

  /**
   * MM-GEM stage 2 on regions (use {@code --init} with a stage-1 run): RoIAlign over boxes in place
   * of the mean pool, four soft prompts in place of {@code [CAP]} and h4 (identity at the start) on
   * top of h1; only h3, the soft prompts and h4 train, everything of stage 1 is frozen. Region
   * phrases of the synthetic regions data, with whole-image captions mixed in so that global
   * retrieval keeps its alignment. Run:
   * {@code ./glimpse train --recipe mmgem-regions --init runs/mmgem-tiny --out runs/mmgem-regions}.
   */
  static Recipe mmgemRegions() {
    Scale s = TINY;
    MmGemConfig model = MmGemConfig.of(vision(s), TransformerConfig.llama(s.width(), s.textLayers(), s.width() / 32,
        4 * s.width()).withInitStd(0.1), s.width()).with(b -> {
          b.maxTextPositions = LM_POSITIONS;
          b.pool = MmGemConfig.ROI_POOL;
          b.softPrompts = 4;
          b.regionHead = true;
        });
    List<ParameterGroup> groups = List.of(new ParameterGroup("stage-1", List.of("vision.", "text.", "text_embedding.",
        "h1.", "h2."), null, null, true));
    TrainConfig train = train(s, groups).with(t -> {
      t.steps = 1500;
      t.warmupSteps = 50;
    });
    return new Recipe("mmgem-regions",
        "MM-GEM stage 2 (use --init STAGE1_RUN): RoIAlign regions, 4 soft prompts, h4; only h3, soft prompts and h4 train.",
        RegionsTask.NAME, model, train, DataConfig.synthetic(400_000, 300).withCaptionMix(0.3),
        TokenizerConfig.bpe(512), EvalConfig.greedy(24));
  }

  /** AdamW at 1e-3 (projections), warmup then cosine to 5%, no label smoothing, checkpoints every 500 steps. */
  static TrainConfig train(Scale s, List<ParameterGroup> groups) {
    return TrainConfig.defaults().with(t -> {
      t.steps = s.steps();
      t.batchSize = s.batch();
      t.learningRate = 1e-3;
      t.minLrRatio = 0.05;
      t.warmupSteps = Math.min(200, s.steps() / 10);
      t.beta2 = 0.98;
      t.labelSmoothing = 0;
      t.checkpointEvery = 500;
      t.maxTextTokens = MAX_TEXT_TOKENS;
      t.groups = groups;
    });
  }
}
