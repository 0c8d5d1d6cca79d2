package dev.glimpse.model;

import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;

/**
 * LLaVA (Liu et al. 2023): features from an inner layer of a CLIP vision tower, a two-layer MLP
 * projector, and a decoder-only language model (LLaMA) that reads them in place of image tokens.
 *
 * @param vision the CLIP vision tower (its post-norm weights exist but LLaVA does not use them); null
 *     when {@code genlipVision} is set
 * @param visionFeatureLayer which hidden state of the tower feeds the projector, HF convention:
 *     0 = embeddings, i = output of block i-1, negative from the end (-2: second-to-last block)
 * @param dropClassToken drop the CLS token from the features (HF strategy "default"; "full" keeps it)
 * @param projectorActivation activation between the projector's two layers
 * @param text the language model stack (LLaMA: pre-norm RMSNorm, SwiGLU, rotary, grouped-query attention)
 * @param vocabSize language model vocabulary (includes the image token)
 * @param maxTextPositions longest sequence, image tokens included
 * @param imageTokenId the id whose embedding rows the visual tokens replace
 * @param tieWordEmbeddings LM head shares the token embedding
 * @param genlipVision a GenLIP encoder as the vision tower instead of {@code vision} (its visual token
 *     outputs feed the projector; {@code visionFeatureLayer} and {@code dropClassToken} do not apply
 *     and must be 0 and false); null for the CLIP tower. {@code glimpse train --vision-tower DIR} sets
 *     it from a GenLIP checkpoint and loads its weights.
 * @param positionOffset index offset of a learned position table when the language model has one
 *     (an OPT-style model swapped in); 0 for LLaMA's rotary positions
 * @param imageGridPinpoints AnyRes (LLaVA-NeXT): the image sizes {@code [width, height]} (multiples
 *     of the tower's input size) an image may be tiled at; the best fit is chosen per image ({@link
 *     dev.glimpse.connect.AnyRes}) and the image becomes its resized base view plus the tiles of that
 *     grid, tile features in grid order with a learned newline embedding at the end of each row of
 *     tiles' tokens; null for one view per image
 * @param wordEmbedWidth the language model's token-embedding width when it differs from its stack's
 *     ({@link LanguageModelConfig#wordEmbedWidth}: OPT's project_in / project_out); 0 when equal
 */
public record LlavaConfig(
    VisionConfig vision,
    int visionFeatureLayer,
    boolean dropClassToken,
    ActivationType projectorActivation,
    TransformerConfig text,
    int vocabSize,
    int maxTextPositions,
    int imageTokenId,
    boolean tieWordEmbeddings,
    GenLipConfig genlipVision,
    int positionOffset,
    java.util.List<java.util.List<Integer>> imageGridPinpoints,
    int wordEmbedWidth) implements ConnectorConfig {

  public static final String TYPE = "llava";

  public LlavaConfig {
    if (text == null || projectorActivation == null) {
      throw new IllegalArgumentException("text and projectorActivation are required");
    }
    new VisionTower.Spec(vision, genlipVision); // exactly one tower
    if (vision != null) {
      int layers = vision.encoder().layers();
      if (visionFeatureLayer > layers || visionFeatureLayer < -(layers + 1)) {
        throw new IllegalArgumentException("visionFeatureLayer " + visionFeatureLayer + " does not exist in a "
            + layers + "-layer vision tower");
      }
      if (dropClassToken && !vision.classToken()) {
        throw new IllegalArgumentException("dropClassToken needs a vision tower with a class token");
      }
    } else if (visionFeatureLayer != 0 || dropClassToken) {
      throw new IllegalArgumentException("a GenLIP vision tower gives its final visual tokens: visionFeatureLayer must "
          + "be 0 and dropClassToken false");
    }
    if (vocabSize <= 0 || maxTextPositions <= 0) {
      throw new IllegalArgumentException("vocabSize and maxTextPositions must be > 0");
    }
    if (imageTokenId < 0 || imageTokenId >= vocabSize) {
      throw new IllegalArgumentException("imageTokenId " + imageTokenId + " is outside the vocabulary of " + vocabSize);
    }
    if (positionOffset < 0 || wordEmbedWidth < 0) {
      throw new IllegalArgumentException("positionOffset and wordEmbedWidth must be >= 0, got " + positionOffset + ", "
          + wordEmbedWidth);
    }
    if (imageGridPinpoints != null) {
      imageGridPinpoints = dev.glimpse.connect.AnyRes.checkPinpoints(imageGridPinpoints,
          new VisionTower.Spec(vision, genlipVision).imageSize());
    }
  }

  /** LLaVA with the CLIP tower (HuggingFace's layout). */
  public LlavaConfig(VisionConfig vision, int visionFeatureLayer, boolean dropClassToken,
      ActivationType projectorActivation, TransformerConfig text, int vocabSize, int maxTextPositions, int imageTokenId,
      boolean tieWordEmbeddings) {
    this(vision, visionFeatureLayer, dropClassToken, projectorActivation, text, vocabSize, maxTextPositions,
        imageTokenId, tieWordEmbeddings, null, 0, null, 0);
  }

  /**
   * LLaVA on a ViT tower (a CLIP, GIT or HuggingFace CLIP encoder): the tower's penultimate hidden
   * state (CLS dropped when it has one), a GELU MLP projector, the language model {@code text}.
   */
  public static LlavaConfig onVit(VisionConfig tower, LanguageModelConfig text, int imageTokenId) {
    return new LlavaConfig(tower, -2, tower.classToken(), ActivationType.GELU, text.text(), imageTokenId + 1,
        text.maxTextPositions(), imageTokenId, text.tieWordEmbeddings(), null, text.positionOffset(), null,
        text.wordEmbedWidth())
        .withVocabSize(Math.max(text.vocabSize(), imageTokenId + 1));
  }

  /**
   * LLaVA on a GenLIP vision tower: a GELU MLP projector, the language model {@code text} with a tied
   * head, {@code imageTokenId} as the last id of the vocabulary, 64 text positions.
   */
  public static LlavaConfig onGenLip(GenLipConfig tower, TransformerConfig text, int imageTokenId) {
    return new LlavaConfig(null, 0, false, ActivationType.GELU, text, imageTokenId + 1, 64, imageTokenId, true, tower,
        0, null, 0);
  }

  /** The vision tower this config names. */
  @Override
  public VisionTower.Spec tower() {
    return new VisionTower.Spec(vision, genlipVision);
  }

  /** The same model with a GenLIP encoder as its vision tower (the CLIP tower removed). */
  public LlavaConfig withGenLipVision(GenLipConfig genlip) {
    return withVisionTower(new VisionTower.Spec(null, genlip));
  }

  /**
   * The same model on another tower: a ViT keeps the configured feature layer (the penultimate by
   * default) and drops its CLS token when it has one; a GenLIP encoder gives its final visual tokens.
   */
  @Override
  public LlavaConfig withVisionTower(VisionTower.Spec tower) {
    return with(b -> {
      b.vision = tower.vit();
      b.genlipVision = tower.genlip();
      if (tower.vit() != null) {
        b.visionFeatureLayer = vision != null ? visionFeatureLayer : -2;
        b.dropClassToken = tower.vit().classToken();
      } else {
        b.visionFeatureLayer = 0;
        b.dropClassToken = false;
      }
    });
  }

  @Override
  public LlavaConfig withVisionLayer(int layer) {
    if (vision == null) {
      throw new IllegalArgumentException("a GenLIP tower gives its final visual tokens; no other layer can be chosen");
    }
    return with(b -> b.visionFeatureLayer = layer);
  }

  @Override
  public LanguageModelConfig languageModel() {
    return new LanguageModelConfig(text, vocabSize, maxTextPositions, positionOffset, tieWordEmbeddings,
        wordEmbedWidth);
  }

  @Override
  public LlavaConfig withLanguageModel(LanguageModelConfig lm, int newImageTokenId) {
    return with(b -> {
      b.text = lm.text();
      b.vocabSize = Math.max(lm.vocabSize(), newImageTokenId + 1);
      b.maxTextPositions = lm.maxTextPositions();
      b.positionOffset = lm.positionOffset();
      b.tieWordEmbeddings = lm.tieWordEmbeddings();
      b.wordEmbedWidth = lm.wordEmbedWidth();
      b.imageTokenId = newImageTokenId;
    });
  }

  /** The same model tiling large images at one of {@code pinpoints} (AnyRes); null for one view. */
  public LlavaConfig withAnyRes(java.util.List<java.util.List<Integer>> pinpoints) {
    return with(b -> b.imageGridPinpoints = pinpoints);
  }

  /** Visual tokens per view of an image (the image token is repeated this many times for a one-view image). */
  @Override
  public int imageTokens() {
    return tower().tokens() - (dropClassToken ? 1 : 0);
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  @Override
  public LlavaConfig withVocabSize(int n) {
    return with(b -> b.vocabSize = Math.max(n, imageTokenId + 1));
  }

  @Override
  public int imageSize() {
    return tower().imageSize();
  }

  /** Text tokens left once an image's tokens are in the sequence. */
  @Override
  public int maxTextLength() {
    return maxTextPositions - imageTokens();
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public LlavaConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link LlavaConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public VisionConfig vision;
    public int visionFeatureLayer;
    public boolean dropClassToken;
    public ActivationType projectorActivation;
    public TransformerConfig text;
    public int vocabSize;
    public int maxTextPositions;
    public int imageTokenId;
    public boolean tieWordEmbeddings;
    public GenLipConfig genlipVision;
    public int positionOffset;
    public java.util.List<java.util.List<Integer>> imageGridPinpoints;

    public int wordEmbedWidth;

    public Builder(LlavaConfig from) {
      vision = from.vision;
      visionFeatureLayer = from.visionFeatureLayer;
      dropClassToken = from.dropClassToken;
      projectorActivation = from.projectorActivation;
      text = from.text;
      vocabSize = from.vocabSize;
      maxTextPositions = from.maxTextPositions;
      imageTokenId = from.imageTokenId;
      tieWordEmbeddings = from.tieWordEmbeddings;
      genlipVision = from.genlipVision;
      positionOffset = from.positionOffset;
      imageGridPinpoints = from.imageGridPinpoints;
      wordEmbedWidth = from.wordEmbedWidth;
    }

    public LlavaConfig build() {
      return new LlavaConfig(vision, visionFeatureLayer, dropClassToken, projectorActivation, text, vocabSize,
          maxTextPositions, imageTokenId, tieWordEmbeddings, genlipVision, positionOffset, imageGridPinpoints,
          wordEmbedWidth);
    }
  }
}
