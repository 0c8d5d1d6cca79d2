package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Token embedding, plus learned absolute positions (with an optional index offset, as OPT's +2) and
 * an optional LayerNorm (BERT-style, as GIT's text embeddings). Models with rotary attention use no
 * position table here.
 */
public final class TextEmbedding {
  private final Parameter tokens;    // [V, E]; E = D unless the model projects its embeddings (OPT's project_in)
  private final Parameter positions; // [maxPositions + offset, D] or null
  private final int positionOffset;
  private final Norm norm;           // null when absent

  public TextEmbedding(ParameterStore.Scope scope, int vocabSize, int width, int maxPositions,
      int positionOffset, NormType normType, double normEps, double std) {
    this(scope, vocabSize, width, width, maxPositions, positionOffset, normType, normEps, std);
  }

  /**
   * Token rows of width {@code tokenWidth}, positions (and the norm) of width {@code width}: the
   * caller projects token embeddings to {@code width} before {@link #withPositions} (OPT's project_in).
   */
  public TextEmbedding(ParameterStore.Scope scope, int vocabSize, int tokenWidth, int width, int maxPositions,
      int positionOffset, NormType normType, double normEps, double std) {
    this.tokens = scope.embedding("token_embedding", Init.normal(std), vocabSize, tokenWidth);
    this.positions = maxPositions > 0
        ? scope.embedding("position_embedding", Init.normal(std), maxPositions + positionOffset, width)
        : null;
    this.positionOffset = positionOffset;
    this.norm = normType == null ? null : new Norm(scope.sub("norm"), normType, width, normEps);
  }

  /**
   * @param ids [B, T] int64 token ids
   * @param positionIds [B, T] int64 positions (0-based), or null when there is no position table
   * @return [B, T, D]
   */
  public NDArray forward(NDArray ids, NDArray positionIds) {
    return withPositions(embedTokens(ids), positionIds);
  }

  /** Token embeddings alone: [B, T] -> [B, T, E]. */
  public NDArray embedTokens(NDArray ids) {
    return ai.djl.nn.core.Embedding.embedding(ids, tokens.array(), SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * Adds the position embeddings (and the norm) to token embeddings that a model may have edited
   * first, e.g. with visual tokens at image-token positions (BLIP-2's OPT adds positions after that).
   *
   * @param x [B, T, D]
   * @param positionIds [B, T] int64, or null without a position table
   */
  public NDArray withPositions(NDArray x, NDArray positionIds) {
    if (positions != null) {
      NDArray index = positionOffset == 0 ? positionIds : positionIds.add(positionOffset);
      x = x.add(ai.djl.nn.core.Embedding.embedding(index, positions.array(), SparseFormat.DENSE).singletonOrThrow());
    }
    return norm == null ? x : norm.forward(x);
  }

  public Parameter tokens() {
    return tokens;
  }

  public int vocabSize() {
    return (int) tokens.shape().get(0);
  }

  /** Number of positions the table holds (0 without a table). */
  public int maxPositions() {
    return positions == null ? 0 : (int) positions.shape().get(0) - positionOffset;
  }
}
