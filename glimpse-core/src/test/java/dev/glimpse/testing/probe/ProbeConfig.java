package dev.glimpse.testing.probe;

import dev.glimpse.model.ModelConfig;

/**
 * A toy design registered from the test sources only (META-INF/services in src/test/resources): a
 * linear probe that embeds images (one linear map of the pixels) and texts (mean token embedding)
 * into one space, trained with InfoNCE plus a bag-of-words loss. It proves that a design plugs into
 * {@code glimpse train} without touching the main sources.
 *
 * @param imageSize square input side
 * @param dim embedding width
 */
public record ProbeConfig(int imageSize, int dim, int vocabSize, int maxTextPositions) implements ModelConfig {
  public static final String TYPE = "test-probe";

  public ProbeConfig {
    if (imageSize <= 0 || dim <= 0 || vocabSize <= 0 || maxTextPositions <= 0) {
      throw new IllegalArgumentException("probe sizes must be > 0");
    }
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  @Override
  public ProbeConfig withVocabSize(int n) {
    return new ProbeConfig(imageSize, dim, n, maxTextPositions);
  }

  @Override
  public int maxTextLength() {
    return maxTextPositions;
  }
}
