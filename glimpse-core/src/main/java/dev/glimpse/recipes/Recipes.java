package dev.glimpse.recipes;

import dev.glimpse.connect.QFormerConfig;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.Blip2Config;
import dev.glimpse.model.ClipTextConfig;
import dev.glimpse.model.DenoiserConfig;
import dev.glimpse.model.DiffusionConfig;
import dev.glimpse.model.VlvCaptionConfig;
import dev.glimpse.model.VlvConfig;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.model.GenLipConfig;
import dev.glimpse.connect.ResamplerConfig;
import dev.glimpse.model.FlamingoConfig;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.model.LlavaConfig;
import dev.glimpse.model.MmGemConfig;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.util.GlimpseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Named recipes, runnable with {@code glimpse train --recipe NAME}. Listed by {@code glimpse recipes}. */
public final class Recipes {
  private static final Map<String, Supplier<Recipe>> RECIPES = new LinkedHashMap<>();

  static {
    RECIPES.put("quickstart", Recipes::quickstart);
    RECIPES.put("quickstart-48", Recipes::quickstart48);
    RECIPES.put("git-tiny", Recipes::gitTiny);
    RECIPES.put("git-small", Recipes::gitSmall);
    RECIPES.put("vqa-quick", () -> vqa(true));
    RECIPES.put("vqa-tiny", () -> vqa(false));
    RECIPES.put("ocr-quick", () -> ocr(true));
    RECIPES.put("ocr-tiny", () -> ocr(false));
    RECIPES.put("video-quick", () -> video(true));
    RECIPES.put("video-tiny", () -> video(false));
    RECIPES.put("classify-quick", () -> classify(true));
    RECIPES.put("classify-tiny", () -> classify(false));
    RECIPES.put("genlip-quick", Recipes::genlipQuick);
    RECIPES.put("genlip-tiny", Recipes::genlipTiny);
    RECIPES.put("genlip-tiny-native", Recipes::genlipTinyNative);
    RECIPES.put("genlip-git-tiny", Recipes::genlipGitTiny);
    RECIPES.put("llava-genlip-tiny", Recipes::llavaGenlipTiny);
    RECIPES.put("blip2-genlip-tiny", Recipes::blip2GenlipTiny);
    RECIPES.put("lm-quick", () -> languageModel(true));
    RECIPES.put("lm-tiny", () -> languageModel(false));
    RECIPES.put("llava-quick-stage1", () -> llavaStage1(true));
    RECIPES.put("llava-quick", () -> llava(true));
    RECIPES.put("llava-tiny-stage1", () -> llavaStage1(false));
    RECIPES.put("llava-tiny", () -> llava(false));
    RECIPES.put("blip2-quick-stage1", () -> blip2Stage1(true));
    RECIPES.put("blip2-quick", () -> blip2(true));
    RECIPES.put("blip2-tiny-stage1", () -> blip2Stage1(false));
    RECIPES.put("blip2-tiny", () -> blip2(false));
    RECIPES.put("flamingo-quick", () -> flamingo(true));
    RECIPES.put("flamingo-tiny", () -> flamingo(false));
    RECIPES.put("clip-quick", () -> EmbeddingRecipes.clip(EmbeddingRecipes.QUICK));
    RECIPES.put("clip-tiny", () -> EmbeddingRecipes.clip(EmbeddingRecipes.TINY));
    RECIPES.put("mmgem-quick", () -> EmbeddingRecipes.mmgem(EmbeddingRecipes.QUICK, MmGemConfig.BOTH));
    RECIPES.put("mmgem-quick-clip-only", () -> EmbeddingRecipes.mmgem(EmbeddingRecipes.QUICK, MmGemConfig.EMBEDDING));
    RECIPES.put("mmgem-quick-cap-only", () -> EmbeddingRecipes.mmgem(EmbeddingRecipes.QUICK, MmGemConfig.GENERATION));
    RECIPES.put("mmgem-tiny", () -> EmbeddingRecipes.mmgem(EmbeddingRecipes.TINY, MmGemConfig.BOTH));
    RECIPES.put("mmgem-regions", EmbeddingRecipes::mmgemRegions);
    RECIPES.put("diffusion-quick", () -> diffusion(true));
    RECIPES.put("diffusion-tiny", () -> diffusion(false));
    RECIPES.put("vlv-quick-stage1", Recipes::vlvQuickStage1);
    RECIPES.put("vlv-quick", () -> vlvQuick(VlvStage2.MLP_AND_LM));
    RECIPES.put("vlv-quick-mlp", () -> vlvQuick(VlvStage2.MLP));
    RECIPES.put("vlv-quick-all", () -> vlvQuick(VlvStage2.ALL));
    RECIPES.put("vlv-quick-progressive", () -> vlvQuick(VlvStage2.PROGRESSIVE));
  }

  private Recipes() {}

  /**
   * Registers a recipe under {@code name} (replacing one of that name): a recipe another one continues
   * ({@link Recipe#after}) must be registered, e.g. by a program or test that defines its own stages.
   */
  public static void register(String name, Supplier<Recipe> recipe) {
    synchronized (RECIPES) {
      RECIPES.put(name, recipe);
    }
  }

  public static Recipe get(String name) {
    Supplier<Recipe> r = RECIPES.get(name);
    if (r == null) {
      throw new GlimpseException("unknown recipe '" + name + "' (known: " + String.join(", ", RECIPES.keySet())
          + "; see 'glimpse recipes')");
    }
    return r.get();
  }

  public static Iterable<String> names() {
    return RECIPES.keySet();
  }

  /**
   * Tiny GIT captioner on synthetic scenes: 64x64 input, 8x8 patches (64 image tokens), ViT 4x128 +
   * decoder 3x128 ({@link #quickModel}), 8750 steps of 32 on the canonical caption of each scene (the
   * other five wordings stay references for evaluation: training on one wording per scene removes
   * the noise of the wording choice from the gradients). Shape is what limits the small captioner,
   * and it is learned by seeing examples. A quarter of the training scenes are flat drawings ({@link
   * DataConfig#flatMix}), so that it also names what simple drawing programs make (white objects on
   * near-white backgrounds), and the input is 64x64 because small flat shapes were misread at 48x48
   * (docs/experiments/flat-colors.md); 8750 steps rather than 7000 because at 7000 where shape ended
   * up still depended on the seed. Run: {@code ./glimpse quickstart}. Time and results:
   * docs/recipes.md#quickstart; how the setting was chosen:
   * docs/experiments/quickstart-recipe-search.md.
   */
  public static Recipe quickstart() {
    return quickstart("quickstart", 64, 8750, "24-44 min");
  }

  /**
   * The quickstart at 48x48 input (36 image tokens), as it was before the flat drawings asked for
   * more pixels, and its 7000 steps: two thirds of the step time. It is the vision tower that the connector recipes and
   * the reference captioner that the diffusion and VLV evaluations were measured with
   * (docs/connectors.md, docs/diffusion.md, docs/vlv.md).
   */
  public static Recipe quickstart48() {
    return quickstart("quickstart-48", 48, 7000, "13-24 min");
  }

  private static Recipe quickstart(String name, int imageSize, int steps, String time) {
    return new Recipe(name,
        "Tiny GIT captioner (ViT 4x128, decoder 3x128, " + imageSize + "x" + imageSize + " input, 8x8 patches) on "
            + "synthetic scenes, a quarter of them flat drawings; " + time + " on 2 cores.",
        "captions", quickModel(imageSize, 8, 32, 128), quickTrain(steps, 32, 32),
        DataConfig.synthetic(200_000, 500).withFirstTargetProbability(1.0).withFlatMix(0.25), TokenizerConfig.bpe(512),
        EvalConfig.greedy(24));
  }

  /**
   * GIT-tiny (D=256, 4+4 layers) on synthetic scenes, 3000 steps: a longer, stronger run. See
   * docs/recipes.md#git-tiny-and-git-small.
   */
  public static Recipe gitTiny() {
    GitConfig model = GitConfig.tiny(1);
    TrainConfig train = TrainConfig.defaults().with(t -> {
      t.steps = 3000;
      t.learningRate = 6e-4;
      t.minLrRatio = 0.05;
      t.warmupSteps = 150;
      t.beta2 = 0.98;
      t.logEvery = 20;
      t.checkpointEvery = 500;
      t.maxTextTokens = 32;
    });
    return new Recipe("git-tiny", "GIT-tiny (D=256, 4+4 layers) on synthetic scenes; ~1 h on 2 cores.", "captions",
        model, train, DataConfig.synthetic(500_000, 1000), TokenizerConfig.bpe(512), EvalConfig.greedy(24));
  }

  /** GIT-small (D=512, 6+6 layers) on synthetic scenes, 5000 steps. See docs/recipes.md#git-tiny-and-git-small. */
  public static Recipe gitSmall() {
    GitConfig model = GitConfig.small(1);
    TrainConfig train = TrainConfig.defaults().with(t -> {
      t.steps = 5000;
      t.minLrRatio = 0.05;
      t.warmupSteps = 250;
      t.beta2 = 0.98;
      t.logEvery = 20;
      t.checkpointEvery = 500;
      t.maxTextTokens = 32;
    });
    return new Recipe("git-small", "GIT-small (D=512, 6+6 layers) on synthetic scenes; hours on 2 cores.", "captions",
        model, train, DataConfig.synthetic(1_000_000, 1000), TokenizerConfig.bpe(512), EvalConfig.greedy(24));
  }

  /**
   * The small GIT of the quick recipes: ViT 4x192, decoder 3x192. Weights start at
   * standard deviation 0.1 rather than 0.02: with the smaller value, attention over the few patch tokens
   * stays uniform for hundreds of steps and where-is-it words (position, relation) sit at chance, a
   * plateau the larger scale avoids (it needs a learning rate of at most about 3e-4).
   */
  static GitConfig quickModel(int imageSize, int patchSize, int maxText) {
    return quickModel(imageSize, patchSize, maxText, 192);
  }

  /**
   * The quick GIT at another width (heads of 32 channels, MLP 4x). At D=128 a step costs less than at
   * D=192 while it teaches about as much, so a fixed time budget sees more examples (see
   * docs/experiments/quickstart-recipe-search.md).
   */
  static GitConfig quickModel(int imageSize, int patchSize, int maxText, int width) {
    return quickModel(imageSize, patchSize, maxText, width, 4, 3);
  }

  /** The quick GIT with {@code encoderLayers} ViT blocks and {@code decoderLayers} decoder blocks. */
  static GitConfig quickModel(int imageSize, int patchSize, int maxText, int width, int encoderLayers,
      int decoderLayers) {
    int heads = width / 32;
    return GitConfig.of(VisionConfig.vit(imageSize, patchSize, TransformerConfig.preLn(width, encoderLayers, heads)), TransformerConfig.preLn(width, decoderLayers, heads)).withMaxTextPositions(maxText)
        .withInitStd(0.1);
  }

  /** AdamW at 3e-4 with warmup, cosine to 5%, label smoothing 0.1, batch {@code batch}. */
  static TrainConfig quickTrain(int steps, int batch, int maxText) {
    return TrainConfig.defaults().with(t -> {
      t.steps = steps;
      t.batchSize = batch;
      t.minLrRatio = 0.05;
      t.warmupSteps = Math.min(100, steps / 10);
      t.beta2 = 0.98;
      t.checkpointEvery = 250;
      t.maxTextTokens = maxText;
    });
  }

  /**
   * VQA on synthetic scenes (GIT section 4.3): the question is the prefix, the loss is on the answer;
   * scored with the official VQA accuracy over 10 human-like answers. Training answers are the
   * consensus of the ten (the majority answer). Every text about a training image is trained in one
   * row ({@link DataConfig#packTexts}): all its questions (one per question type, plus the color of
   * every object with a unique shape and the shape of every object with a unique color) and its
   * caption ({@link DataConfig#captionMix} > 0), each attending only to itself and the image, so the
   * image is encoded once for about eight texts. The model is the quick D=128 GIT on 48x48 input
   * (36 patches of 8) with the deep convolutional stem ({@link VisionConfig#DEEP_CONV_STEM}), which
   * binds a shape to the object a question names. Quick: 7500 steps of 16 images; tiny: the same for
   * 20000 steps. Time and results: docs/recipes.md#vqa; how the recipe was chosen:
   * docs/experiments/vqa-recipe-search.md and docs/experiments/packing.md.
   */
  public static Recipe vqa(boolean quick) {
    int steps = quick ? 7500 : 20_000;
    return new Recipe(quick ? "vqa-quick" : "vqa-tiny",
        (quick ? "VQA, small GIT (D=128, 48x48, 8x8 patches, deep conv stem), all questions + caption of an image packed in one row; ~14 min on 2 cores."
            : "VQA, the quick recipe's model and packed rows for 20k steps; ~35 min on 2 cores."),
        VqaTask.NAME, quickModel(48, 8, 40, 128).withStem(VisionConfig.DEEP_CONV_STEM), quickTrain(steps, 16, 40),
        DataConfig.synthetic(400_000, quick ? 1000 : 3000).withFirstTargetProbability(1.0).withCaptionMix(0.5)
            .withPackedTexts(true),
        TokenizerConfig.bpe(512), EvalConfig.greedy(8));
  }

  /**
   * Scene-text reading (GIT section 4.4): the target is the word on the sign, spelled one letter per
   * token ({@link TokenizerConfig#bytes()}: byte-level tokens without merges), so every letter is a
   * target that all words share; with word-sized BPE tokens a hundred words were a hundred unrelated
   * classes, and whether reading started early in the run depended on the seed. 128x128
   * input (64 patches of 16), read by the deep convolutional stem ({@link
   * VisionConfig#DEEP_CONV_STEM}) that starts with a 4x4 patchify convolution ({@link
   * VisionConfig#stemPatchify}; channels 32, 64, 128), then one decoder block over the image and
   * text tokens and no ViT block ({@link #ocrModel}). Images are stretched to the square input
   * ({@code data.resize} "stretch"), so a wide or tall sign keeps the resolution of its longer side.
   * AdamW at 1e-3 (at the other quick recipes' 3e-4 reading starts later and ends lower). Clean
   * close-ups of a sign ({@link DataConfig#cleanTextMix}) start the reading: 99% of the examples for
   * the first 14% of the run ({@link DataConfig#cleanTextMixHold}), falling linearly to 5% at 25% and
   * staying there, so the rest of the run goes to the varied signs. Quick: 16000 steps of 16; tiny:
   * 45000 steps, with the close-ups held and ramped over the same first ~2,500 and ~4,500 steps. Time
   * and results: docs/recipes.md#scene-text-reading-ocr; every change that led here, measured:
   * docs/experiments/scene-text-reading.md.
   */
  public static Recipe ocr(boolean quick) {
    int steps = quick ? 16_000 : 45_000;
    return new Recipe(quick ? "ocr-quick" : "ocr-tiny",
        (quick ? "Scene-text reading, small GIT (128x128 stretched, deep conv stem from a 4x4 patchify layer, one decoder block, letter tokens) on synthetic signs, clean close-ups 99% then 5%, lr 1e-3; 16k steps, ~14 min on 2 cores."
            : "Scene-text reading, the quick recipe's model and data for 45k steps; ~40 min on 2 cores."),
        OcrTask.NAME, ocrModel(), quickTrain(steps, 16, 16).withLearningRate(1e-3, 100),
        DataConfig.synthetic(400_000, quick ? 1000 : 3000)
            .withCleanTextMix(0.99, 0.05, quick ? 0.14 : 0.056, quick ? 0.25 : 0.1)
            .withResize(ImageTransform.STRETCH),
        TokenizerConfig.bytes(), EvalConfig.greedy(12));
  }

  /**
   * The reader of the ocr recipes: 128x128, patches of 16, the deep stem from a 4x4 patchify layer at
   * 32, 64, 128 channels, no ViT block and one decoder block (GIT's decoder attends bidirectionally
   * over the image tokens, so its block also mixes them; reading is learned in the stem, and more
   * blocks learned no faster per step). A step costs much less than one of the earlier reader (1+1
   * blocks; the stem's first stages at 64x64 and 32x32 with 16 and 32 channels, convolutions that
   * CPUs run far below their matmul speed); the step times are in docs/experiments/scene-text-reading.md.
   */
  static GitConfig ocrModel() {
    return quickModel(128, 16, 16, 128, 0, 1).withStem(VisionConfig.DEEP_CONV_STEM).withStemPatchify(4, 32, 64, 128);
  }

  /**
   * Video captioning (GIT section 3.2): each frame encoded alone, a learned temporal embedding per
   * frame, all frame tokens before the text. Quick: 6 frames of 48x48 (9 tokens each, 54 in all),
   * 3000 steps of 16; tiny: 8 frames of 64x64, 6000 steps. Time and results: docs/recipes.md#video.
   */
  public static Recipe video(boolean quick) {
    int steps = quick ? 3000 : 6000;
    GitConfig model = quick ? quickModel(48, 16, 24).withTemporalEmbeddings(6) : quickModel(64, 16, 24).withTemporalEmbeddings(8);
    return new Recipe(quick ? "video-quick" : "video-tiny",
        (quick ? "Video captioning, small GIT (6 frames of 48x48, temporal embeddings) on synthetic clips; ~10 min on 2 cores."
            : "Video captioning, small GIT (8 frames of 64x64) on synthetic clips, 6k steps; ~2 h on 2 cores."),
        VideoTask.NAME, model, quickTrain(steps, 16, 24),
        DataConfig.synthetic(400_000, quick ? 500 : 1000).withFirstTargetProbability(0.5), TokenizerConfig.bpe(512),
        EvalConfig.greedy(24));
  }

  /**
   * Generative classification (GIT section 4.5): the class name ("red circle", 32 classes) is the
   * caption; evaluation constrains decoding to the label set with a prefix trie (top1) and also
   * decodes freely (top1_open). Quick: the D=128 model, 8000 steps; tiny: the D=192 model, 12000
   * steps. Time and results: docs/recipes.md#classification.
   */
  public static Recipe classify(boolean quick) {
    int steps = quick ? 8000 : 12_000;
    return new Recipe(quick ? "classify-quick" : "classify-tiny",
        (quick ? "Generative classification (32 color-shape classes), small GIT (D=128, 64x64, 16x16 patches); ~10 min on 2 cores."
            : "Generative classification, small GIT, 12k steps; ~30 min on 2 cores."),
        ClassifyTask.NAME, quick ? quickModel(64, 16, 8, 128) : quickModel(64, 16, 8), quickTrain(steps, 32, 8), DataConfig.synthetic(400_000, quick ? 1000 : 3000),
        TokenizerConfig.bpe(512), EvalConfig.greedy(6));
  }

  /**
   * GenLIP of the comparison: one pre-LN stack of 7x192 (the layer count and width of {@link #quickModel}'s
   * ViT 4x192 + decoder 3x192, so about the same parameters as GIT), 16x16 patches, init std 0.1 as
   * the quick GIT. Fixed resolution: 96x96 letterboxed, 36 patches.
   */
  static GenLipConfig genlipModel() {
    return GenLipConfig.of(96, 16, TransformerConfig.preLn(192, 7, 6)).withMaxTextPositions(24).withInitStd(0.1);
  }

  /**
   * Stage 2 input: native aspect ratio, at most 36 patches per image at evaluation (the fixed model's
   * count), training budgets of 25, 36 or 49 patches drawn per batch (multi-resolution).
   */
  static GenLipConfig genlipNativeModel() {
    return genlipModel().withNativeResolution(36, 25, 36, 49);
  }

  /**
   * GenLIP stage 1 on wide/tall scene text with small letters (task {@value SceneTextTask#NAME}):
   * fixed 96x96 input, 3000 steps of 32. Run: {@code ./glimpse train --recipe genlip-tiny --out runs/genlip-s1}.
   * The comparison it belongs to: docs/genlip.md#comparison.
   */
  public static Recipe genlipTiny() {
    return new Recipe("genlip-tiny",
        "GenLIP stage 1: one 7x192 transformer, prefix-LM, fixed 96x96 (36 patches), wide/tall scene text; 3000 steps.",
        SceneTextTask.NAME, genlipModel(), quickTrain(3000, 32, 24), DataConfig.synthetic(400_000, 1000),
        TokenizerConfig.bpe(512), EvalConfig.greedy(20));
  }

  /**
   * GenLIP stage 2: continues a stage-1 checkpoint ({@code --init}) at native aspect ratio with
   * multi-resolution budgets and packed batches, 1000 steps. Run:
   * {@code ./glimpse train --recipe genlip-tiny-native --init runs/genlip-s1 --out runs/genlip-native}.
   */
  public static Recipe genlipTinyNative() {
    return new Recipe("genlip-tiny-native",
        "GenLIP stage 2 (use --init STAGE1_RUN): native aspect ratio, 25/36/49-patch budgets, packed rows; 1000 steps.",
        SceneTextTask.NAME, genlipNativeModel(), quickTrain(1000, 32, 24), DataConfig.synthetic(400_000, 1000),
        TokenizerConfig.bpe(512), EvalConfig.greedy(20));
  }

  /**
   * The GIT baseline of the GenLIP comparison: ViT 4x192 + decoder 3x192 at 96x96 with 16x16 patches
   * (36 image tokens), the same task, 4000 steps of 32 (stage 1 + stage 2 of GenLIP).
   */
  public static Recipe genlipGitTiny() {
    return new Recipe("genlip-git-tiny",
        "GIT baseline for GenLIP: ViT 4x192 + decoder 3x192, 96x96 (36 tokens), wide/tall scene text; 4000 steps.",
        SceneTextTask.NAME, quickModel(96, 16, 24), quickTrain(4000, 32, 24), DataConfig.synthetic(400_000, 1000),
        TokenizerConfig.bpe(512), EvalConfig.greedy(20));
  }

  /**
   * GenLIP in one short run: native aspect ratio and multi-resolution from the start, on wide/tall
   * scene text; reports caption CIDEr and reading {@code exact_match}, 1200 steps and 400 held-out
   * items. Time and results: docs/genlip.md#recipes.
   */
  public static Recipe genlipQuick() {
    return new Recipe("genlip-quick",
        "GenLIP 7x192, native aspect ratio + multi-resolution, packed rows, wide/tall scene text; ~6 min on 2 cores.",
        SceneTextTask.NAME, genlipNativeModel(), quickTrain(GENLIP_QUICK_STEPS, 32, 24),
        DataConfig.synthetic(400_000, 400), TokenizerConfig.bpe(512), EvalConfig.greedy(20));
  }

  static final int GENLIP_QUICK_STEPS = 1200;

  /**
   * The language model the connector recipes join vision to: LLaMA-style (RMSNorm, rotary positions,
   * SwiGLU, grouped-query attention with 2 key/value heads for 4 query heads), 4x128, untied head.
   */
  static LanguageModelConfig languageModelConfig() {
    TransformerConfig stack = TransformerConfig.llama(128, 4, 4, 352).with(b -> b.kvHeads = 2).withInitStd(0.02);
    return new LanguageModelConfig(stack, 1, 320, 0, false);
  }

  /**
   * A small pre-trained language model, as the connector designs start from one: {@link
   * #languageModelConfig} trained by next-token prediction on the synthetic suite's text alone
   * ({@link TextTask}: captions, long descriptions, dialogues and naming games in words, in the chat
   * formats the connectors use), byte-level BPE of 1024 ids. Quick: 3000 steps of 32; tiny: 12000.
   * The connector recipes load it frozen: {@code --language-model runs/lm-quick}. Time and results:
   * docs/connectors.md#the-language-model-lm-quick-lm-tiny---language-model-dir.
   */
  public static Recipe languageModel(boolean quick) {
    int steps = quick ? LM_QUICK_STEPS : 12_000;
    TrainConfig train = quickTrain(steps, 32, 112).withLearningRate(1e-3, 200).with(t -> t.labelSmoothing = 0);
    return new Recipe(quick ? "lm-quick" : "lm-tiny",
        (quick ? "Language model 4x128 (LLaMA-style, GQA) on the synthetic suite's text; ~15 min on 2 cores."
            : "Language model 4x128 (LLaMA-style, GQA) on the synthetic suite's text, 12k steps; ~1 h on 2 cores."),
        TextTask.NAME, languageModelConfig(), train, DataConfig.synthetic(400_000, 600),
        TokenizerConfig.bpe(1024).withSampleExamples(6000), EvalConfig.greedy(8));
  }

  static final int LM_QUICK_STEPS = 2500;

  /**
   * The vision tower the connector recipes name until {@code --vision-tower} replaces it: the quick
   * recipes' ViT (4x128, 48x48 input, 8x8 patches, 36 tokens), as {@code quickstart-48} trains it.
   */
  static VisionConfig connectorTower() {
    return quickModel(48, 8, 32, 128).vision();
  }

  /** Test images of the connector recipes: captions, questions, and naming sequences per shot count. */
  static final int CONNECTOR_TEST = 400;

  /** The connector recipes' training data: instruction conversations with a quarter of few-shot sequences. */
  static DataConfig connectorData() {
    return DataConfig.synthetic(400_000, CONNECTOR_TEST).withFirstTargetProbability(1.0).withFewShotMix(0.25);
  }

  /** AdamW for {@code steps} of 32 at {@code lr}, warmup 5%, cosine to 10%, no label smoothing. */
  static TrainConfig connectorTrain(int steps, double lr, int maxText) {
    return quickTrain(steps, 32, maxText).withLearningRate(lr, Math.max(20, steps / 20)).with(t -> {
      t.minLrRatio = 0.1;
      t.labelSmoothing = 0;
      t.checkpointEvery = 500;
    });
  }

  /**
   * LLaVA's first stage, feature alignment (Liu et al. 2023, section 4.1): the MLP projector alone
   * learns (tower and language model frozen) to caption, each image's 36 tokens from the tower's
   * second-to-last layer spliced in after BOS. Run with {@code --vision-tower} and {@code
   * --language-model}; {@code llava-quick} continues it. docs/connectors.md#llava.
   */
  public static Recipe llavaStage1(boolean quick) {
    LlavaConfig model = LlavaConfig.onVit(connectorTower(), languageModelConfig(), CONNECTOR_IMAGE_TOKEN);
    TrainConfig train = connectorTrain(quick ? LLAVA_QUICK_STAGE1 : 3000, 1e-3, 64)
        .withGroups(dev.glimpse.nn.ParameterGroup.onlyTraining("projector."));
    return new Recipe(quick ? "llava-quick-stage1" : "llava-tiny-stage1",
        "LLaVA stage 1: the MLP projector alone learns to caption (tower and LM frozen; use --vision-tower, "
            + "--language-model).",
        CaptionTask.NAME, model, train, DataConfig.synthetic(400_000, CONNECTOR_TEST).withFirstTargetProbability(1.0),
        TokenizerConfig.bpe(512).withChatTemplate(dev.glimpse.tokenize.ChatTemplate.vicuna()), EvalConfig.greedy(24));
  }

  static final int LLAVA_QUICK_STAGE1 = 600;
  static final int LLAVA_QUICK_STAGE2 = 1000;

  /**
   * LLaVA's second stage, visual instruction tuning (section 4.2), after {@link #llavaStage1}: the
   * projector and the language model learn from conversations about images (describe it, then
   * follow-up questions; a quarter of few-shot naming sequences, each image spliced in at its
   * placeholder) in LLaVA-1.5's chat format, which is saved with the tokenizer. Run: {@code glimpse
   * train --recipe llava-quick --vision-tower runs/quickstart-48 --language-model runs/lm-quick} (both
   * stages). Results: docs/connectors.md#llava.
   */
  public static Recipe llava(boolean quick) {
    LlavaConfig model = LlavaConfig.onVit(connectorTower(), languageModelConfig(), CONNECTOR_IMAGE_TOKEN);
    TrainConfig train = connectorTrain(quick ? LLAVA_QUICK_STAGE2 : 6000, 2e-4, 256)
        .withFreeze(List.of(VisionTowers.PREFIX));
    return new Recipe(quick ? "llava-quick" : "llava-tiny",
        "LLaVA: stage 1 (projector) then instruction tuning of projector + LM on conversations and few-shot sequences "
            + "(use --vision-tower, --language-model).",
        VlmTask.NAME, model, train, connectorData(),
        TokenizerConfig.bpe(512).withChatTemplate(dev.glimpse.tokenize.ChatTemplate.vicuna()), EvalConfig.greedy(24))
        .after(quick ? "llava-quick-stage1" : "llava-tiny-stage1");
  }

  /** The connector recipes' Q-Former: 2x128 post-LN BERT layers, 16 queries, cross-attention every layer. */
  static QFormerConfig connectorQFormer() {
    TransformerConfig bert = TransformerConfig.preLn(128, 2, 4).with(b -> {
      b.preNorm = false;
      b.finalNorm = false;
      b.normEps = 1e-12;
    }).withInitStd(0.02);
    return QFormerConfig.of(bert, 16).withTextBranch(1, 32, 64);
  }

  /**
   * BLIP-2's first stage, vision-language representation learning (Li et al. 2023, section 3.2): over
   * the frozen tower's second-to-last layer, the Q-Former (queries and text branch) learns by ITC, ITM
   * with hard negatives and ITG on captions. {@code blip2-quick} continues it. docs/connectors.md#blip-2.
   */
  public static Recipe blip2Stage1(boolean quick) {
    Blip2Config model = Blip2Config.onVit(connectorTower(), connectorQFormer(), languageModelConfig(),
        CONNECTOR_IMAGE_TOKEN);
    TrainConfig train = connectorTrain(quick ? BLIP2_QUICK_STAGE1 : 3000, 5e-4, 32)
        .withGroups(dev.glimpse.nn.ParameterGroup.onlyTraining("qformer.")).withObjective("representation");
    return new Recipe(quick ? "blip2-quick-stage1" : "blip2-tiny-stage1",
        "BLIP-2 stage 1: Q-Former (2x128, 16 queries) by ITC + ITM + ITG on captions over a frozen tower (use "
            + "--vision-tower, --language-model).",
        // no held-out evaluation: until stage 2 the language model has not learned to read the queries
        CaptionTask.NAME, model, train, DataConfig.synthetic(400_000, 0).withFirstTargetProbability(1.0),
        TokenizerConfig.bpe(512).withChatTemplate(dev.glimpse.tokenize.ChatTemplate.questionAnswer()),
        EvalConfig.greedy(24));
  }

  static final int BLIP2_QUICK_STAGE1 = 800;
  static final int BLIP2_QUICK_STAGE2 = 1300;

  /**
   * BLIP-2's second stage, vision-to-language generative learning (section 3.3), after {@link
   * #blip2Stage1}: the Q-Former's 16 outputs, through a linear projection, are soft visual prompts of
   * the frozen language model; Q-Former and projection learn from the same conversations and few-shot
   * sequences as LLaVA, in the question-answer format. Results: docs/connectors.md#blip-2.
   */
  public static Recipe blip2(boolean quick) {
    Blip2Config model = Blip2Config.onVit(connectorTower(), connectorQFormer(), languageModelConfig(),
        CONNECTOR_IMAGE_TOKEN);
    TrainConfig train = connectorTrain(quick ? BLIP2_QUICK_STAGE2 : 6000, 5e-4, 160)
        .withGroups(dev.glimpse.nn.ParameterGroup.onlyTraining("qformer.", "language_projection."))
        .withObjective("generative");
    return new Recipe(quick ? "blip2-quick" : "blip2-tiny",
        "BLIP-2: stage 1 (Q-Former ITC/ITM/ITG) then Q-Former + projection as soft prompts of the frozen LM "
            + "(use --vision-tower, --language-model).",
        VlmTask.NAME, model, train, connectorData(),
        TokenizerConfig.bpe(512).withChatTemplate(dev.glimpse.tokenize.ChatTemplate.questionAnswer()),
        EvalConfig.greedy(24)).after(quick ? "blip2-quick-stage1" : "blip2-tiny-stage1");
  }

  static final int FLAMINGO_QUICK_STEPS = 1800;

  /**
   * Flamingo (Alayrac et al. 2022): a Perceiver Resampler (2 layers, 16 latents) over the frozen
   * tower's second-to-last layer and tanh-gated cross-attention layers before every second block of
   * the frozen language model, both learning from the same conversations and few-shot sequences as
   * LLaVA and BLIP-2, each image one token in the text. Run: {@code glimpse train --recipe
   * flamingo-quick --vision-tower runs/quickstart-48 --language-model runs/lm-quick}. Results:
   * docs/connectors.md#flamingo.
   */
  public static Recipe flamingo(boolean quick) {
    FlamingoConfig model = FlamingoConfig.onVit(connectorTower(), new ResamplerConfig(2, 4, 16, 1),
        languageModelConfig(), 2, CONNECTOR_IMAGE_TOKEN);
    TrainConfig train = connectorTrain(quick ? FLAMINGO_QUICK_STEPS : 8000, 5e-4, 128)
        .withGroups(dev.glimpse.nn.ParameterGroup.onlyTraining("resampler.", "xattn."));
    return new Recipe(quick ? "flamingo-quick" : "flamingo-tiny",
        "Flamingo: Perceiver Resampler (16 latents) + tanh-gated cross-attention into the frozen LM, on conversations "
            + "and few-shot sequences (use --vision-tower, --language-model).",
        VlmTask.NAME, model, train, connectorData(),
        TokenizerConfig.bpe(512).withChatTemplate(dev.glimpse.tokenize.ChatTemplate.questionAnswer()),
        EvalConfig.greedy(24));
  }

  /** Image token id of the connector recipes: one past the 512 ids of their BPE vocabulary. */
  static final int CONNECTOR_IMAGE_TOKEN = 512;

  /**
   * The language model of the connector recipes: 3x192, LLaMA-style (RMSNorm, SwiGLU, rotary, no
   * biases) for LLaVA, the quick GIT's pre-LN stack for BLIP-2 (OPT-style, learned positions); init
   * std 0.1 as the quick GIT.
   */
  static TransformerConfig connectorText(boolean llama) {
    return llama
        ? TransformerConfig.llama(192, 3, 6, 512).withInitStd(0.1)
        : TransformerConfig.preLn(192, 3, 6).withInitStd(0.1);
  }

  /**
   * LLaVA with a GenLIP vision tower (GenLIP's purpose: a vision encoder for multimodal LLMs). Meant
   * with {@code --vision-tower} naming a GenLIP checkpoint; the tower is frozen and the MLP projector
   * and the language model learn (LLaVA's first stage, extended to the LM as it starts untrained
   * here), on the GenLIP comparison's wide/tall scene text. Run:
   * {@code ./glimpse train --recipe llava-genlip-tiny --vision-tower runs/genlip-s1 --out runs/llava-genlip}.
   * Results: docs/llava-blip2.md#a-genlip-vision-tower.
   */
  public static Recipe llavaGenlipTiny() {
    LlavaConfig model = LlavaConfig.onGenLip(genlipModel(), connectorText(true), CONNECTOR_IMAGE_TOKEN);
    return new Recipe("llava-genlip-tiny",
        "LLaVA (MLP projector, 3x192 LLaMA-style LM) on a frozen GenLIP tower (use --vision-tower GENLIP_RUN); 1500 steps.",
        SceneTextTask.NAME, model, quickTrain(1500, 32, 24).withFreeze(List.of(VisionTowers.PREFIX)),
        DataConfig.synthetic(400_000, 1000), TokenizerConfig.bpe(512), EvalConfig.greedy(20));
  }

  /**
   * BLIP-2 with a GenLIP vision tower: a 2x192 Q-Former with 16 queries reads the frozen GenLIP
   * visual tokens; the Q-Former, projection and language model learn. Run:
   * {@code ./glimpse train --recipe blip2-genlip-tiny --vision-tower runs/genlip-s1 --out runs/blip2-genlip}.
   * Results: docs/llava-blip2.md#a-genlip-vision-tower.
   */
  public static Recipe blip2GenlipTiny() {
    GenLipConfig tower = genlipModel();
    QFormerConfig qformer = QFormerConfig.of(TransformerConfig.preLn(192, 2, 6).withInitStd(0.1), 16);
    Blip2Config model = Blip2Config.onGenLip(tower, qformer, connectorText(false), CONNECTOR_IMAGE_TOKEN);
    return new Recipe("blip2-genlip-tiny",
        "BLIP-2 (Q-Former 2x192, 16 queries, 3x192 LM) on a frozen GenLIP tower (use --vision-tower GENLIP_RUN); 1500 steps.",
        SceneTextTask.NAME, model, quickTrain(1500, 32, 24).withFreeze(List.of(VisionTowers.PREFIX)),
        DataConfig.synthetic(400_000, 1000), TokenizerConfig.bpe(512), EvalConfig.greedy(20));
  }

  /**
   * The CLIP text tower a diffusion recipe is built with when no CLIP checkpoint is given ({@code --part
   * text-encoder=DIR} replaces it, config and weights): 3x128, 32 positions, causal, quick-GELU as CLIP.
   */
  static ClipTextConfig placeholderTextEncoder() {
    return new ClipTextConfig(TransformerConfig.preLn(128, 3, 4).with(t -> t.activation = ActivationType.QUICK_GELU),
        512, 32);
  }

  /**
   * Text-to-image diffusion on synthetic scenes (docs/diffusion.md): a DiT in pixel space at 32x32
   * with 4x4 patches (64 tokens), adaLN-Zero timestep conditioning and cross-attention to the frozen
   * CLIP text encoder's context ({@code --part text-encoder=CLIP_RUN}), cosine noise schedule, the
   * denoising loss with the caption dropped 10% of the time (classifier-free guidance 3 at sampling, 50
   * DDIM steps). Quick: 6x128, 5000 steps of 32; tiny: 8x192, 20000 steps. Evaluated on 200 held-out
   * captions by a reference captioner ({@code --reference-captioner QUICKSTART_RUN}). Run:
   * {@code ./glimpse train --recipe diffusion-quick --part text-encoder=runs/clip --reference-captioner
   * runs/quickstart-48 --out runs/diffusion}.
   */
  public static Recipe diffusion(boolean quick) {
    int width = quick ? 128 : 192;
    DenoiserConfig denoiser = DenoiserConfig.of(32, 4, TransformerConfig.preLn(width, quick ? 6 : 8, width / 32));
    TrainConfig train = quickTrain(quick ? 5000 : 20_000, 32, 32).with(t -> {
      t.warmupSteps = 200;
      t.weightDecay = 0;
      t.checkpointEvery = 500;
      t.freeze = List.of("text_encoder.");
    });
    return new Recipe(quick ? "diffusion-quick" : "diffusion-tiny",
        (quick ? "Text-to-image DiT 6x128 at 32x32 (4x4 patches) on a frozen CLIP text encoder (--part text-encoder=CLIP_RUN), 5000 steps."
            : "Text-to-image DiT 8x192 at 32x32 on a frozen CLIP text encoder (--part text-encoder=CLIP_RUN), 20k steps."),
        TextToImageTask.NAME, DiffusionConfig.of(placeholderTextEncoder(), denoiser), train,
        DataConfig.synthetic(400_000, 200).withFirstTargetProbability(0.5), TokenizerConfig.bpe(512),
        EvalConfig.greedy(24).withBatchSize(50));
  }

  /** The VLV encoder of the quick recipes: a ViT 4x128 on the decoder's 32x32 input with 4x4 patches. */
  static VisionConfig vlvVision() {
    return VisionConfig.vit(32, 4, TransformerConfig.preLn(128, 4, 4).withInitStd(0.02));
  }

  /**
   * VLV stage 1 (docs/vlv.md): the ViT and a 2x128 query adapter with 16 queries read an image into its
   * caption embedding; through a projection into the CLIP text encoder's input space and the frozen
   * diffusion decoder ({@code --part decoder=DIFFUSION_RUN}: its text encoder, denoiser and tokenizer)
   * the denoising loss of the image itself trains the encoder, from images alone (the data hold no
   * captions). 3000 steps of 32. Run: {@code ./glimpse train --recipe vlv-quick-stage1 --part
   * decoder=runs/diffusion --reference-captioner runs/quickstart-48 --out runs/vlv-s1}.
   */
  public static Recipe vlvQuickStage1() {
    VlvConfig model = new VlvConfig(vlvVision(), 16, TransformerConfig.preLn(128, 2, 4),
        (DiffusionConfig) diffusion(true).model(), null);
    TrainConfig train = quickTrain(3000, 32, 32).with(t -> {
      t.warmupSteps = 200;
      t.checkpointEvery = 500;
      t.freeze = List.of("decoder.");
    });
    return new Recipe("vlv-quick-stage1",
        "VLV stage 1: ViT 4x128 + 16-query adapter distilled from a frozen diffusion decoder (--part decoder=DIFFUSION_RUN), images only; 3000 steps.",
        ReconstructionTask.NAME, model, train, DataConfig.synthetic(400_000, 100), TokenizerConfig.bpe(512),
        EvalConfig.greedy(24).withBatchSize(50));
  }

  /** Which parts of a VLV model learn in stage 2 (the paper's ablation, section 5.1). */
  enum VlvStage2 {
    /** The MLP alone (the language model and the encoder frozen). */
    MLP,
    /** The MLP and the language model (the encoder frozen): the default. */
    MLP_AND_LM,
    /** Everything but the decoder from the start. */
    ALL,
    /** The MLP from the start, the language model from a third of the run, the encoder from two thirds. */
    PROGRESSIVE
  }

  /**
   * VLV stage 2 (docs/vlv.md): the caption embedding's context (the frozen CLIP text encoder's output for
   * z) through a 2-layer MLP into the input space of a pre-trained language model, prepended to the
   * caption, trained with the LM loss on the caption only. The autoencoder comes from a stage-1 run
   * ({@code --part autoencoder=STAGE1_RUN}), the language model with its tokenizer from an {@code
   * lm-quick} run ({@code --part language-model=LM_RUN}; {@link #languageModelConfig} is a placeholder
   * it replaces, and a run without it is refused). {@code vlv-quick}: the MLP and the language model
   * learn, the encoder is frozen; {@code vlv-quick-mlp}, {@code vlv-quick-all} and {@code
   * vlv-quick-progressive} (MLP, + LM at a third of the run, + encoder at two thirds, by parameter
   * groups with a start step) are the unfreezing ablation. 3000 steps of 32. Run: {@code ./glimpse
   * train --recipe vlv-quick --part autoencoder=runs/vlv-s1 --part language-model=runs/lm-quick
   * --reference-captioner runs/quickstart-48 --out runs/vlv}.
   */
  static Recipe vlvQuick(VlvStage2 schedule) {
    int steps = 3000;
    VlvConfig stage1 = (VlvConfig) vlvQuickStage1().model();
    VlvConfig model = stage1.withCaptioner(new VlvCaptionConfig(languageModelConfig()));
    List<ParameterGroup> groups = switch (schedule) {
      case MLP -> List.of(ParameterGroup.frozen("caption.lm."), ParameterGroup.frozen("encoder."));
      case MLP_AND_LM -> List.of(ParameterGroup.frozen("encoder."));
      case ALL -> List.of();
      case PROGRESSIVE -> List.of(ParameterGroup.from("lm", steps / 3, "caption.lm."),
          ParameterGroup.from("encoder", 2 * steps / 3, "encoder."));
    };
    String name = switch (schedule) {
      case MLP -> "vlv-quick-mlp";
      case MLP_AND_LM -> "vlv-quick";
      case ALL -> "vlv-quick-all";
      case PROGRESSIVE -> "vlv-quick-progressive";
    };
    String what = switch (schedule) {
      case MLP -> "the MLP learns";
      case MLP_AND_LM -> "the MLP and the LM learn";
      case ALL -> "MLP, LM and encoder learn";
      case PROGRESSIVE -> "MLP, + LM from step 1000, + encoder from step 2000";
    };
    TrainConfig train = quickTrain(steps, 32, 24).with(t -> {
      t.checkpointEvery = 500;
      t.freeze = List.of("decoder.");
      t.groups = groups;
    });
    return new Recipe(name, "VLV stage 2 (--part autoencoder=STAGE1_RUN --part language-model=LM_QUICK_RUN): the "
        + "pre-trained LM captions from the caption embedding; " + what + "; 3000 steps.", VlvTask.NAME, model, train,
        DataConfig.synthetic(400_000, 200).withFirstTargetProbability(1.0), TokenizerConfig.bpe(512),
        EvalConfig.greedy(24).withBatchSize(50));
  }
}
