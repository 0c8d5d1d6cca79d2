package dev.glimpse.model;

import ai.djl.ndarray.NDArray;

/**
 * A text encoder seen as a conditioning source: token ids, or input embeddings standing in for word
 * embeddings, to one context vector per position. A text-to-image model reads its prompt through one
 * ({@link DiffusionModel}); VLV feeds it continuous caption embeddings in place of words ({@link
 * VlvModel}), which is why it takes embeddings and not only ids.
 */
public interface TextEncoder {
  /** Width of the input (word) embeddings. */
  int inputWidth();

  /** Width of the context vectors. */
  int width();

  /** Positions the encoder has (the longest input it takes, special tokens included). */
  int maxLength();

  /** Word embeddings of token ids, without positions: [B, T] int64 -> [B, T, D_in]. */
  NDArray embedTokens(NDArray ids);

  /**
   * Context vectors of input embeddings (positions are added here, as to word embeddings).
   *
   * @param inputs [B, T, D_in] word embeddings, or anything in their space
   * @param valid [B, T] nonzero for real positions (padding is masked as a key), or null for all real
   * @return [B, T, D]
   */
  NDArray encodeEmbeddings(NDArray inputs, NDArray valid);

  /** Context vectors of token ids: [B, T] -> [B, T, D]. */
  default NDArray encode(NDArray ids, NDArray valid) {
    return encodeEmbeddings(embedTokens(ids), valid);
  }
}
