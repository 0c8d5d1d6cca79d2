package dev.glimpse.model;

import dev.glimpse.connect.MeanPool;
import dev.glimpse.connect.PoolAggregator;
import dev.glimpse.connect.RoiPool;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;

/**
 * MM-GEM (Ma et al. 2024, "Multi-Modal Generative Embedding Model"): a vision encoder and one causal
 * language model that both embeds text (the hidden state of an {@code [EMB]} token after the text)
 * and writes captions (after {@code [CAP]}, given the image context Vin). See docs/mmgem.md.
 *
 * <pre>
 * image -> ViT -> PoolAggregator -> h1 -> VEmb (image embedding; stage 2: -> h4)
 *                                         \-> h3 -> Vin (m vectors) -> LM: [Vin] [CAP] caption   (L_gen)
 * text [EMB] -> LM -> last hidden -> h2 -> text embedding                                       (L_emb)
 * </pre>
 *
 * @param vision the ViT (no CLS token: its patch features are pooled)
 * @param text the language model (causal; rotary positions let it read texts longer than it trained on)
 * @param textVocab ids of the tokenizer; the model's vocabulary adds {@code [EMB]} ({@link #embTokenId})
 *     and {@code [CAP]} ({@link #capTokenId}) after them
 * @param maxTextPositions the longest sequence the language model reads (Vin + prompts + text);
 *     with learned positions (a text stack without rotary) the size of the position table
 * @param embeddingDim width P of the joint embedding space (VEmb and the text embedding)
 * @param contextTokens m: how many LM input vectors h3 makes of VEmb
 * @param objectives {@value #BOTH} (MM-GEM: L_emb + L_gen), {@value #EMBEDDING} (the CLIP-only
 *     ablation: no generation pass) or {@value #GENERATION} (the caption-only ablation: no [EMB] pass)
 * @param pool {@value #MEAN_POOL} (stage 1: one vector per image) or {@value #ROI_POOL} (stage 2: RoIAlign
 *     over a box; a whole image is the box covering it)
 * @param roiBins RoIAlign output side (bins x bins, averaged into one vector per region)
 * @param roiSamplingRatio RoIAlign samples per bin along each axis (0: adaptive)
 * @param softPrompts k: 0 puts {@code [CAP]} before the caption; k > 0 puts k learned soft prompts
 *     {@code [CAP_1..k]} there instead (stage 2; each starts as {@code [CAP]}'s embedding plus a learned
 *     offset that starts at zero)
 * @param regionHead h4, a linear map on VEmb for retrieval, identity at the start (stage 2)
 * @param temperature the InfoNCE temperature at the first step
 * @param finalTemperature the temperature at the last step (linear schedule; the paper: 0.07 to 0.01)
 * @param tieWordEmbeddings the LM head shares the token embedding matrix
 */
public record MmGemConfig(
    VisionConfig vision,
    TransformerConfig text,
    int textVocab,
    int maxTextPositions,
    int embeddingDim,
    int contextTokens,
    String objectives,
    String pool,
    int roiBins,
    int roiSamplingRatio,
    int softPrompts,
    boolean regionHead,
    double temperature,
    double finalTemperature,
    boolean tieWordEmbeddings) implements ModelConfig {

  public static final String TYPE = "mmgem";
  public static final String BOTH = "both";
  public static final String EMBEDDING = "embedding";
  public static final String GENERATION = "generation";
  public static final String MEAN_POOL = "mean";
  public static final String ROI_POOL = "roi";

  public MmGemConfig {
    if (vision == null || text == null) {
      throw new IllegalArgumentException("vision and text configs are required");
    }
    if (vision.classToken()) {
      throw new IllegalArgumentException("the MM-GEM vision encoder pools patch features; it takes no class token");
    }
    if (textVocab <= 0) {
      throw new IllegalArgumentException("textVocab must be > 0, got " + textVocab);
    }
    if (embeddingDim <= 0) {
      throw new IllegalArgumentException("embeddingDim must be > 0, got " + embeddingDim);
    }
    if (contextTokens <= 0) {
      throw new IllegalArgumentException("contextTokens must be > 0, got " + contextTokens);
    }
    if (softPrompts < 0) {
      throw new IllegalArgumentException("softPrompts must be >= 0, got " + softPrompts);
    }
    if (maxTextPositions < contextTokens + Math.max(1, softPrompts) + 2) {
      throw new IllegalArgumentException("maxTextPositions " + maxTextPositions + " leaves no room for text after "
          + contextTokens + " context tokens and the caption prompt");
    }
    if (objectives == null) {
      objectives = BOTH;
    }
    if (!objectives.equals(BOTH) && !objectives.equals(EMBEDDING) && !objectives.equals(GENERATION)) {
      throw new IllegalArgumentException("objectives must be '" + BOTH + "', '" + EMBEDDING + "' or '" + GENERATION
          + "', got '" + objectives + "'");
    }
    if (pool == null) {
      pool = MEAN_POOL;
    }
    if (!pool.equals(MEAN_POOL) && !pool.equals(ROI_POOL)) {
      throw new IllegalArgumentException("pool must be '" + MEAN_POOL + "' or '" + ROI_POOL + "', got '" + pool + "'");
    }
    if (roiBins <= 0) {
      throw new IllegalArgumentException("roiBins must be > 0, got " + roiBins);
    }
    if (!(temperature > 0) || !(finalTemperature > 0)) {
      throw new IllegalArgumentException("temperature and finalTemperature must be > 0, got " + temperature + ", "
          + finalTemperature);
    }
  }

  /**
   * Stage 1 of the paper: mean pool, {@code [CAP]}, both objectives, temperature 0.07 to 0.01, four
   * context tokens, a tied LM head, 96 positions; the vocabulary is set from the tokenizer when a run
   * starts ({@link #withVocabSize}).
   */
  public static MmGemConfig of(VisionConfig vision, TransformerConfig text, int embeddingDim) {
    return new MmGemConfig(vision, text, 1, 96, embeddingDim, 4, BOTH, MEAN_POOL, 2, 2, 0, false, 0.07, 0.01, true);
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  /** The tokenizer's ids, then {@code [EMB]} and {@code [CAP]}. */
  @Override
  public int vocabSize() {
    return textVocab + 2;
  }

  public int embTokenId() {
    return textVocab;
  }

  public int capTokenId() {
    return textVocab + 1;
  }

  @Override
  public MmGemConfig withVocabSize(int n) {
    return with(b -> b.textVocab = n);
  }

  @Override
  public int imageSize() {
    return vision.imageSize();
  }

  /**
   * Text the LM can take after the context and the caption prompt: a caption (prompt + generated), and
   * an embedded text (which needs no context: a few positions spare).
   */
  @Override
  public int maxTextLength() {
    return maxTextPositions - contextTokens - Math.max(1, softPrompts) + 1;
  }

  public boolean embeds() {
    return !objectives.equals(GENERATION);
  }

  public boolean generates() {
    return !objectives.equals(EMBEDDING);
  }

  /** The pooling of whole images: {@link MeanPool} or {@link RoiPool}. */
  public PoolAggregator aggregator() {
    return pool.equals(MEAN_POOL) ? new MeanPool() : regionPool();
  }

  /** The pooling of regions (RoIAlign), whatever the stage. */
  public RoiPool regionPool() {
    return new RoiPool(roiBins, roiSamplingRatio);
  }

  /**
   * Stage 2 continues a stage-1 model ({@code train --init STAGE1}): the architecture is the
   * checkpoint's, the stage settings (pooling, soft prompts, h4, objectives, temperature) the recipe's.
   */
  @Override
  public ModelConfig continuedUnder(ModelConfig recipeModel) {
    if (!(recipeModel instanceof MmGemConfig r)) {
      return this;
    }
    return with(b -> {
      b.objectives = r.objectives;
      b.pool = r.pool;
      b.roiBins = r.roiBins;
      b.roiSamplingRatio = r.roiSamplingRatio;
      b.softPrompts = r.softPrompts;
      b.regionHead = r.regionHead;
      b.temperature = r.temperature;
      b.finalTemperature = r.finalTemperature;
    });
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public MmGemConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of an {@link MmGemConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public VisionConfig vision;
    public TransformerConfig text;
    public int textVocab;
    public int maxTextPositions;
    public int embeddingDim;
    public int contextTokens;
    public String objectives;
    public String pool;
    public int roiBins;
    public int roiSamplingRatio;
    public int softPrompts;
    public boolean regionHead;
    public double temperature;
    public double finalTemperature;
    public boolean tieWordEmbeddings;

    public Builder(MmGemConfig from) {
      vision = from.vision;
      text = from.text;
      textVocab = from.textVocab;
      maxTextPositions = from.maxTextPositions;
      embeddingDim = from.embeddingDim;
      contextTokens = from.contextTokens;
      objectives = from.objectives;
      pool = from.pool;
      roiBins = from.roiBins;
      roiSamplingRatio = from.roiSamplingRatio;
      softPrompts = from.softPrompts;
      regionHead = from.regionHead;
      temperature = from.temperature;
      finalTemperature = from.finalTemperature;
      tieWordEmbeddings = from.tieWordEmbeddings;
    }

    public MmGemConfig build() {
      return new MmGemConfig(vision, text, textVocab, maxTextPositions, embeddingDim, contextTokens, objectives, pool,
          roiBins, roiSamplingRatio, softPrompts, regionHead, temperature, finalTemperature, tieWordEmbeddings);
    }
  }
}
