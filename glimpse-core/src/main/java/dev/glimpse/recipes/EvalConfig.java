package dev.glimpse.recipes;

import dev.glimpse.generate.GenerationConfig;

/**
 * End-of-training evaluation on the held-out split.
 *
 * @param batchSize images decoded together
 * @param generation decoding settings
 */
public record EvalConfig(int batchSize, GenerationConfig generation) {
  public EvalConfig {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("eval batchSize must be > 0, got " + batchSize);
    }
    if (generation == null) {
      throw new IllegalArgumentException("eval generation settings are required");
    }
  }

  public static EvalConfig greedy(int maxNewTokens) {
    return new EvalConfig(32, GenerationConfig.greedy(maxNewTokens));
  }
}
