package dev.glimpse.model;

import dev.glimpse.nn.TransformerConfig;

/**
 * VLV's caption decoder (stage 2): an MLP from the text encoder's context vectors to the language
 * model's width, and a GIT-style language model ({@link PrefixLm}) that reads them as a prefix.
 *
 * @param lm the language model's stack
 * @param maxTextPositions learned text positions (caption tokens with BOS and EOS)
 */
public record VlvCaptionConfig(TransformerConfig lm, int maxTextPositions) {
  public VlvCaptionConfig {
    if (lm == null) {
      throw new IllegalArgumentException("the caption decoder needs a transformer config");
    }
    if (maxTextPositions < 3) {
      throw new IllegalArgumentException("caption decoder maxTextPositions must be >= 3, got " + maxTextPositions);
    }
  }
}
