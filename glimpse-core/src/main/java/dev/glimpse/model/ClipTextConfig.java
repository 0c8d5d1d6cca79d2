package dev.glimpse.model;

import dev.glimpse.nn.TransformerConfig;

/**
 * CLIP's text tower: token and learned position embeddings, a causal pre-LN stack and its final norm
 * ({@link ClipTextTower}).
 *
 * @param text the causal stack (its final norm is CLIP's {@code final_layer_norm})
 * @param vocabSize token ids the embedding holds
 * @param maxPositions learned positions (CLIP: 77)
 */
public record ClipTextConfig(TransformerConfig text, int vocabSize, int maxPositions) {
  public ClipTextConfig {
    if (text == null) {
      throw new IllegalArgumentException("the text encoder needs a transformer config");
    }
    if (vocabSize <= 0 || maxPositions <= 0) {
      throw new IllegalArgumentException("text encoder vocabSize and maxPositions must be > 0, got " + vocabSize + ", "
          + maxPositions);
    }
  }

  /** The text tower of a CLIP model. */
  public static ClipTextConfig of(ClipConfig clip) {
    return new ClipTextConfig(clip.text(), clip.vocabSize(), clip.maxTextPositions());
  }

  public int width() {
    return text.width();
  }
}
