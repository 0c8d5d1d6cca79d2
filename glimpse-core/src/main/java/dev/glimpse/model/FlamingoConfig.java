package dev.glimpse.model;

import dev.glimpse.connect.ResamplerConfig;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;

/**
 * Flamingo (Alayrac et al. 2022): a frozen vision tower, a Perceiver Resampler that turns each image
 * (or video) into a fixed number of visual tokens, and a frozen language model into which tanh-gated
 * cross-attention layers are inserted before every {@code crossAttentionEvery}-th block; the text
 * marks each image's place with the image token, and each text token attends only to the image just
 * before it.
 *
 * @param vision the ViT tower; null when {@code genlipVision} is set
 * @param genlipVision a GenLIP encoder as the tower instead, or null
 * @param visionFeatureLayer the tower's hidden state the resampler reads (HF convention), null for its
 *     output; ViT towers only
 * @param resampler the Perceiver Resampler (it runs at the tower's width)
 * @param crossAttentionEvery a gated cross-attention layer goes before blocks 0, k, 2k, ... of the LM
 * @param crossAttentionHeads heads of the gated cross-attention layers
 * @param text the language model's stack
 * @param vocabSize language model vocabulary (includes the image token)
 * @param maxTextPositions longest sequence
 * @param positionOffset index offset of a learned position table (OPT), 0 with rotary positions
 * @param imageTokenId the token that marks an image's place in the text
 * @param tieWordEmbeddings the LM head shares the token embedding
 * @param wordEmbedWidth the language model's token-embedding width when it differs from its stack's
 *     ({@link LanguageModelConfig#wordEmbedWidth}: OPT's project_in / project_out); 0 when equal
 */
public record FlamingoConfig(
    VisionConfig vision,
    GenLipConfig genlipVision,
    Integer visionFeatureLayer,
    ResamplerConfig resampler,
    int crossAttentionEvery,
    int crossAttentionHeads,
    TransformerConfig text,
    int vocabSize,
    int maxTextPositions,
    int positionOffset,
    int imageTokenId,
    boolean tieWordEmbeddings,
    int wordEmbedWidth) implements ConnectorConfig {

  public static final String TYPE = "flamingo";

  public FlamingoConfig {
    VisionTower.Spec tower = new VisionTower.Spec(vision, genlipVision);
    if (resampler == null || text == null) {
      throw new IllegalArgumentException("flamingo needs its resampler and text configs");
    }
    if (tower.width() % resampler.heads() != 0) {
      throw new IllegalArgumentException("resampler heads " + resampler.heads() + " must divide the vision width "
          + tower.width());
    }
    if (crossAttentionEvery <= 0 || crossAttentionHeads <= 0 || text.width() % crossAttentionHeads != 0) {
      throw new IllegalArgumentException("crossAttentionEvery must be > 0 and crossAttentionHeads must divide the text "
          + "width " + text.width() + ", got " + crossAttentionEvery + ", " + crossAttentionHeads);
    }
    if (visionFeatureLayer != null) {
      if (vision == null) {
        throw new IllegalArgumentException("a GenLIP tower gives its final visual tokens: visionFeatureLayer must be "
            + "null");
      }
      int layers = vision.encoder().layers();
      if (visionFeatureLayer > layers || visionFeatureLayer < -(layers + 1)) {
        throw new IllegalArgumentException("visionFeatureLayer " + visionFeatureLayer + " does not exist in a " + layers
            + "-layer vision tower");
      }
    }
    if (vocabSize <= 0 || maxTextPositions <= 0 || positionOffset < 0 || wordEmbedWidth < 0) {
      throw new IllegalArgumentException("vocabSize and maxTextPositions must be > 0, positionOffset and "
          + "wordEmbedWidth >= 0");
    }
    if (imageTokenId < 0 || imageTokenId >= vocabSize) {
      throw new IllegalArgumentException("imageTokenId " + imageTokenId + " is outside the vocabulary of " + vocabSize);
    }
  }

  /**
   * Flamingo on a ViT tower read at its second-to-last layer, with the language model {@code lm},
   * gated cross-attention before every {@code every}-th block.
   */
  public static FlamingoConfig onVit(VisionConfig tower, ResamplerConfig resampler, LanguageModelConfig lm, int every,
      int imageTokenId) {
    return new FlamingoConfig(tower, null, -2, resampler, every, lm.text().heads(), lm.text(),
        Math.max(lm.vocabSize(), imageTokenId + 1), lm.maxTextPositions(), lm.positionOffset(), imageTokenId,
        lm.tieWordEmbeddings(), lm.wordEmbedWidth());
  }

  @Override
  public VisionTower.Spec tower() {
    return new VisionTower.Spec(vision, genlipVision);
  }

  @Override
  public FlamingoConfig withVisionTower(VisionTower.Spec tower) {
    return with(b -> {
      b.vision = tower.vit();
      b.genlipVision = tower.genlip();
      b.visionFeatureLayer = tower.vit() == null ? null : visionFeatureLayer;
    });
  }

  @Override
  public FlamingoConfig withVisionLayer(int layer) {
    return with(b -> b.visionFeatureLayer = layer);
  }

  @Override
  public LanguageModelConfig languageModel() {
    return new LanguageModelConfig(text, vocabSize, maxTextPositions, positionOffset, tieWordEmbeddings,
        wordEmbedWidth);
  }

  @Override
  public FlamingoConfig withLanguageModel(LanguageModelConfig lm, int newImageTokenId) {
    return with(b -> {
      b.text = lm.text();
      b.vocabSize = Math.max(lm.vocabSize(), newImageTokenId + 1);
      b.maxTextPositions = lm.maxTextPositions();
      b.positionOffset = lm.positionOffset();
      b.tieWordEmbeddings = lm.tieWordEmbeddings();
      b.wordEmbedWidth = lm.wordEmbedWidth();
      b.imageTokenId = newImageTokenId;
      if (lm.text().width() % crossAttentionHeads != 0) {
        b.crossAttentionHeads = lm.text().heads();
      }
    });
  }

  /** Visual tokens per image: the resampler's latents (the text holds one image token per image). */
  @Override
  public int imageTokens() {
    return resampler.latents();
  }

  /** Gated cross-attention layers: one before every {@code crossAttentionEvery}-th block. */
  public int crossAttentionLayers() {
    return (text.layers() + crossAttentionEvery - 1) / crossAttentionEvery;
  }

  /** The gated cross-attention layers' sizes: the text width, their heads, a 4x feed-forward. */
  public TransformerConfig crossAttentionStack() {
    return TransformerConfig.preLn(text.width(), 1, crossAttentionHeads).withInitStd(text.initStd());
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  @Override
  public FlamingoConfig withVocabSize(int n) {
    return with(b -> b.vocabSize = Math.max(n, imageTokenId + 1));
  }

  @Override
  public int imageSize() {
    return tower().imageSize();
  }

  /** Video frames per media (1: images). */
  @Override
  public int frames() {
    return resampler.frames();
  }

  @Override
  public int maxTextLength() {
    return maxTextPositions;
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public FlamingoConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link FlamingoConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public VisionConfig vision;
    public GenLipConfig genlipVision;
    public Integer visionFeatureLayer;
    public ResamplerConfig resampler;
    public int crossAttentionEvery;
    public int crossAttentionHeads;
    public TransformerConfig text;
    public int vocabSize;
    public int maxTextPositions;
    public int positionOffset;
    public int imageTokenId;
    public boolean tieWordEmbeddings;

    public int wordEmbedWidth;

    public Builder(FlamingoConfig from) {
      vision = from.vision;
      genlipVision = from.genlipVision;
      visionFeatureLayer = from.visionFeatureLayer;
      resampler = from.resampler;
      crossAttentionEvery = from.crossAttentionEvery;
      crossAttentionHeads = from.crossAttentionHeads;
      text = from.text;
      vocabSize = from.vocabSize;
      maxTextPositions = from.maxTextPositions;
      positionOffset = from.positionOffset;
      imageTokenId = from.imageTokenId;
      tieWordEmbeddings = from.tieWordEmbeddings;
      wordEmbedWidth = from.wordEmbedWidth;
    }

    public FlamingoConfig build() {
      return new FlamingoConfig(vision, genlipVision, visionFeatureLayer, resampler, crossAttentionEvery,
          crossAttentionHeads, text, vocabSize, maxTextPositions, positionOffset, imageTokenId, tieWordEmbeddings,
          wordEmbedWidth);
    }
  }
}
