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
    GenLipConfig genlipVision) implements TakesVisionTower {

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
  }

  /** LLaVA with the CLIP tower (HuggingFace's layout). */
  public LlavaConfig(VisionConfig vision, int visionFeatureLayer, boolean dropClassToken,
      ActivationType projectorActivation, TransformerConfig text, int vocabSize, int maxTextPositions, int imageTokenId,
      boolean tieWordEmbeddings) {
    this(vision, visionFeatureLayer, dropClassToken, projectorActivation, text, vocabSize, maxTextPositions,
        imageTokenId, tieWordEmbeddings, null);
  }

  /**
   * LLaVA on a GenLIP vision tower: a GELU MLP projector, the language model {@code text} with a tied
   * head, {@code imageTokenId} as the last id of the vocabulary, 64 text positions.
   */
  public static LlavaConfig onGenLip(GenLipConfig tower, TransformerConfig text, int imageTokenId) {
    return new LlavaConfig(null, 0, false, ActivationType.GELU, text, imageTokenId + 1, 64, imageTokenId, true, tower);
  }

  /** The vision tower this config names. */
  public VisionTower.Spec tower() {
    return new VisionTower.Spec(vision, genlipVision);
  }

  /** The same model with a GenLIP encoder as its vision tower (the CLIP tower removed). */
  public LlavaConfig withGenLipVision(GenLipConfig genlip) {
    return with(b -> {
      b.vision = null;
      b.visionFeatureLayer = 0;
      b.dropClassToken = false;
      b.genlipVision = genlip;
    });
  }

  /** Visual tokens per image (the image token is repeated this many times in a prompt). */
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
    }

    public LlavaConfig build() {
      return new LlavaConfig(vision, visionFeatureLayer, dropClassToken, projectorActivation, text, vocabSize,
          maxTextPositions, imageTokenId, tieWordEmbeddings, genlipVision);
    }
  }
}
