package dev.glimpse.connect;

import dev.glimpse.nn.TransformerConfig;

/**
 * BLIP-2's querying transformer: learned query tokens, a norm, then layers of self-attention with
 * cross-attention to the image features on every {@code crossAttentionEvery}-th layer. With a text
 * branch (BLIP-2's first stage) the same layers also read text: queries and text share each layer's
 * self-attention and have their own feed-forward, only the queries attend to the image, and three
 * heads serve the stage-1 losses (ITC, ITM, ITG; see {@link QFormer}).
 *
 * @param layers the layer stack (BLIP-2: post-LN BERT layers, LayerNorm 1e-12, GELU)
 * @param numQueries query tokens, i.e. visual tokens handed to the language model
 * @param crossAttentionEvery layers whose index is a multiple of this attend to the image
 * @param memoryWidth width of the image features the queries attend to
 * @param textVocabSize ids of the text branch's embedding (the tokenizer's; two more rows are added for
 *     its [CLS] and [DEC] tokens); 0 for the query branch alone (HuggingFace's generation model)
 * @param maxTextPositions learned text positions of the text branch (0 without one)
 * @param projectionDim width of the ITC embeddings (BLIP-2: 256; 0 without a text branch)
 */
public record QFormerConfig(TransformerConfig layers, int numQueries, int crossAttentionEvery, int memoryWidth,
    int textVocabSize, int maxTextPositions, int projectionDim) {
  public QFormerConfig {
    if (layers == null) {
      throw new IllegalArgumentException("qformer layers config is required");
    }
    if (numQueries <= 0) {
      throw new IllegalArgumentException("numQueries must be > 0, got " + numQueries);
    }
    if (crossAttentionEvery <= 0) {
      throw new IllegalArgumentException("crossAttentionEvery must be > 0, got " + crossAttentionEvery);
    }
    if (memoryWidth <= 0) {
      throw new IllegalArgumentException("memoryWidth must be > 0, got " + memoryWidth);
    }
    if (textVocabSize < 0 || maxTextPositions < 0 || projectionDim < 0) {
      throw new IllegalArgumentException("textVocabSize, maxTextPositions and projectionDim must be >= 0");
    }
    if (textVocabSize > 0 && (maxTextPositions <= 0 || projectionDim <= 0)) {
      throw new IllegalArgumentException("a Q-Former text branch needs maxTextPositions and projectionDim > 0");
    }
  }

  /** The query branch alone (HuggingFace's {@code Blip2QFormerModel} as BLIP-2 generation uses it). */
  public QFormerConfig(TransformerConfig layers, int numQueries, int crossAttentionEvery, int memoryWidth) {
    this(layers, numQueries, crossAttentionEvery, memoryWidth, 0, 0, 0);
  }

  /**
   * A Q-Former of {@code layers} with {@code numQueries} queries, cross-attention in every layer,
   * reading features as wide as itself (set the tower's width with {@link #withMemoryWidth}).
   */
  public static QFormerConfig of(TransformerConfig layers, int numQueries) {
    return new QFormerConfig(layers, numQueries, 1, layers.width());
  }

  public int width() {
    return layers.width();
  }

  /** Whether the text branch (and the stage-1 heads) exist. */
  public boolean hasTextBranch() {
    return textVocabSize > 0;
  }

  /** The same Q-Former reading image features of another width. */
  public QFormerConfig withMemoryWidth(int width) {
    return new QFormerConfig(layers, numQueries, crossAttentionEvery, width, textVocabSize, maxTextPositions,
        projectionDim);
  }

  /** The same Q-Former with cross-attention in every {@code k}-th layer. */
  public QFormerConfig withCrossAttentionEvery(int k) {
    return new QFormerConfig(layers, numQueries, k, memoryWidth, textVocabSize, maxTextPositions, projectionDim);
  }

  /**
   * The same Q-Former with a text branch for BLIP-2's first stage: a text embedding of {@code
   * vocabSize} ids (+ [CLS], [DEC]) and {@code maxPositions} positions, ITC embeddings of {@code
   * projectionDim}.
   */
  public QFormerConfig withTextBranch(int vocabSize, int maxPositions, int projection) {
    return new QFormerConfig(layers, numQueries, crossAttentionEvery, memoryWidth, vocabSize, maxPositions, projection);
  }
}
