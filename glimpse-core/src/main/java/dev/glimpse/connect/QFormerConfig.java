package dev.glimpse.connect;

import dev.glimpse.nn.TransformerConfig;

/**
 * BLIP-2's querying transformer: learned query tokens, a norm, then layers of self-attention among
 * the queries with cross-attention to the image features on every {@code crossAttentionEvery}-th layer.
 *
 * @param layers the layer stack (BLIP-2: post-LN BERT layers, LayerNorm 1e-12, GELU)
 * @param numQueries query tokens, i.e. visual tokens handed to the language model
 * @param crossAttentionEvery layers whose index is a multiple of this attend to the image
 * @param memoryWidth width of the image features the queries attend to
 */
public record QFormerConfig(TransformerConfig layers, int numQueries, int crossAttentionEvery, int memoryWidth) {
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

  /** The same Q-Former reading image features of another width. */
  public QFormerConfig withMemoryWidth(int width) {
    return new QFormerConfig(layers, numQueries, crossAttentionEvery, width);
  }
}
