package dev.glimpse.model;

import ai.djl.ndarray.NDArray;

/**
 * A model that maps texts and images into one vector space, where the cosine of two embeddings says
 * how well they match: CLIP (ours and HuggingFace's) and MM-GEM. What embedding endpoints, retrieval,
 * zero-shot classification and vector indexes need, whatever the design; they ask for this
 * capability, never for a concrete model.
 *
 * <p>A text enters as the ids {@link #textIds} builds from its tokens (each design adds its own
 * special tokens: CLIP {@code [BOS] text [EOS]}, MM-GEM {@code [BOS] text [EMB]}), right-padded into
 * {@code ids [B, T]} with {@code valid [B, T]} marking the real tokens. Embeddings come out
 * unnormalised; callers normalise them ({@code dev.glimpse.embed.Embeddings} does).
 */
public interface Embedder {
  /** Width of the joint space. */
  int embeddingDim();

  /** Longest text (special tokens included) the text side reads. */
  int maxTextLength();

  /** Tokens an image costs the image tower (for usage counts). */
  int imageTokens();

  /**
   * Unnormalised text embeddings.
   *
   * @param ids [B, T] int64, rows built by {@link #textIds}
   * @param valid [B, T] nonzero for real tokens
   * @return [B, P]
   */
  NDArray embedTexts(NDArray ids, NDArray valid);

  /** Unnormalised image embeddings: pixels [B, 3, H, W] -> [B, P]. */
  NDArray embedImages(NDArray pixels);

  /**
   * The ids the model reads for one text, from the tokenizer's ids of the text (no special tokens),
   * cut to {@link #maxTextLength} with the closing token kept.
   *
   * @param bos the tokenizer's begin-of-text id
   */
  int[] textIds(int[] tokens, int bos);

  /**
   * Whether this model was trained to embed (false for a design that could but was not: MM-GEM's
   * caption-only ablation).
   */
  default boolean embeds() {
    return true;
  }
}
