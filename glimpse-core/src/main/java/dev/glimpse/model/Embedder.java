package dev.glimpse.model;

import ai.djl.ndarray.NDArray;

/**
 * A model that maps texts and images into one vector space (CLIP; other contrastive designs later):
 * what an embeddings endpoint needs, whatever the design.
 */
public interface Embedder {
  /** Width of the joint space. */
  int embeddingDim();

  /** Longest text (special tokens included) the text tower reads. */
  int maxTextLength();

  /** Tokens an image costs the image tower (for usage counts). */
  int imageTokens();

  /**
   * Unnormalised text embeddings.
   *
   * @param ids [B, T] int64, with the model's special tokens
   * @param valid [B, T] nonzero for real tokens
   * @return [B, P]
   */
  NDArray embedTexts(NDArray ids, NDArray valid);

  /** Unnormalised image embeddings: pixels [B, 3, H, W] -> [B, P]. */
  NDArray embedImages(NDArray pixels);
}
