package dev.glimpse.spark;

import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.util.GlimpseException;
import java.io.Serializable;

/**
 * Decoding settings of the generative transformers, as {@code glimpse caption}'s flags set them;
 * {@link #config} caps the tokens to what the model's text positions leave.
 */
public record Decoding(int maxTokens, int beams, double lengthPenalty, boolean earlyStop, boolean sample,
    double temperature, int topK, double topP, long seed, boolean useCache) implements Serializable {

  /** The generation config for a model that reads {@code maxTextLength} text tokens. */
  public GenerationConfig config(int maxTextLength) {
    if (beams > 1 && sample) {
      throw new GlimpseException("choose beam search (beams > 1) or sampling, not both");
    }
    int max = Math.min(maxTokens, Math.max(1, maxTextLength - 1));
    try {
      GenerationConfig cfg;
      if (beams > 1) {
        cfg = GenerationConfig.beam(max, beams, lengthPenalty, earlyStop);
      } else if (sample) {
        cfg = GenerationConfig.sample(max, temperature, topK, topP, seed);
      } else {
        cfg = GenerationConfig.greedy(max);
      }
      return cfg.withCache(useCache);
    } catch (IllegalArgumentException e) {
      throw new GlimpseException("invalid decoding setting: " + e.getMessage());
    }
  }
}
