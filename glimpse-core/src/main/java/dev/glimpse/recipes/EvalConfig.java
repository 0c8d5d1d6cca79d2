package dev.glimpse.recipes;

import dev.glimpse.generate.GenerationConfig;

/**
 * End-of-training evaluation on the held-out split.
 *
 * @param batchSize images decoded (or generated) together
 * @param generation decoding settings
 * @param referenceCaptioner a captioning checkpoint (a folder, relative to the working directory) that
 *     scores generated images: the attributes its captions of them name, and the Fréchet distance of its
 *     image features (text-to-image and VLV tasks); null for none (those figures are then left out).
 *     {@code glimpse train} and {@code glimpse eval} take it as {@code --reference-captioner}
 */
public record EvalConfig(int batchSize, GenerationConfig generation, String referenceCaptioner) {
  public EvalConfig(int batchSize, GenerationConfig generation) {
    this(batchSize, generation, null);
  }

  public EvalConfig {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("eval batchSize must be > 0, got " + batchSize);
    }
    if (generation == null) {
      throw new IllegalArgumentException("eval generation settings are required");
    }
  }

  /** These settings scoring generated images with the captioner at {@code path} (null: none). */
  public EvalConfig withReferenceCaptioner(String path) {
    return new EvalConfig(batchSize, generation, path);
  }

  /** These settings with {@code n} images decoded or generated together. */
  public EvalConfig withBatchSize(int n) {
    return new EvalConfig(n, generation, referenceCaptioner);
  }

  public static EvalConfig greedy(int maxNewTokens) {
    return new EvalConfig(32, GenerationConfig.greedy(maxNewTokens));
  }
}
