package dev.glimpse.model;

import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;

/**
 * LLaVA (Liu et al. 2023): features from an inner layer of a CLIP vision tower, a two-layer MLP
 * projector, and a decoder-only language model (LLaMA) that reads them in place of image tokens.
 *
 * @param vision the CLIP vision tower (its post-norm weights exist but LLaVA does not use them)
 * @param visionFeatureLayer which hidden state of the tower feeds the projector, HF convention:
 *     0 = embeddings, i = output of block i-1, negative from the end (-2: second-to-last block)
 * @param dropClassToken drop the CLS token from the features (HF strategy "default"; "full" keeps it)
 * @param projectorActivation activation between the projector's two layers
 * @param text the language model stack (LLaMA: pre-norm RMSNorm, SwiGLU, rotary, grouped-query attention)
 * @param vocabSize language model vocabulary (includes the image token)
 * @param maxTextPositions longest sequence, image tokens included
 * @param imageTokenId the id whose embedding rows the visual tokens replace
 * @param tieWordEmbeddings LM head shares the token embedding
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
    boolean tieWordEmbeddings) implements ModelConfig {

  public static final String TYPE = "llava";

  public LlavaConfig {
    if (vision == null || text == null || projectorActivation == null) {
      throw new IllegalArgumentException("vision, text and projectorActivation are required");
    }
    int layers = vision.encoder().layers();
    if (visionFeatureLayer > layers || visionFeatureLayer < -(layers + 1)) {
      throw new IllegalArgumentException("visionFeatureLayer " + visionFeatureLayer + " does not exist in a "
          + layers + "-layer vision tower");
    }
    if (dropClassToken && !vision.classToken()) {
      throw new IllegalArgumentException("dropClassToken needs a vision tower with a class token");
    }
    if (vocabSize <= 0 || maxTextPositions <= 0) {
      throw new IllegalArgumentException("vocabSize and maxTextPositions must be > 0");
    }
    if (imageTokenId < 0 || imageTokenId >= vocabSize) {
      throw new IllegalArgumentException("imageTokenId " + imageTokenId + " is outside the vocabulary of " + vocabSize);
    }
  }

  /** Visual tokens per image (the image token is repeated this many times in a prompt). */
  public int imageTokens() {
    return vision.numTokens() - (dropClassToken ? 1 : 0);
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  @Override
  public LlavaConfig withVocabSize(int n) {
    return new LlavaConfig(vision, visionFeatureLayer, dropClassToken, projectorActivation, text,
        Math.max(n, imageTokenId + 1), maxTextPositions, imageTokenId, tieWordEmbeddings);
  }

  @Override
  public int imageSize() {
    return vision.imageSize();
  }

  /** Text tokens left once an image's tokens are in the sequence. */
  @Override
  public int maxTextLength() {
    return maxTextPositions - imageTokens();
  }
}
