package dev.glimpse.recipes;

/**
 * Where a recipe's examples come from.
 *
 * @param source "synthetic" (the built-in scene generator) or a dataset spec such as
 *     {@code coco:annotations.json,images=dir}
 * @param trainSize examples in the training split (synthetic: distinct scenes drawn by seed)
 * @param testSize held-out examples evaluated at the end of training
 * @param seed data seed (scene generation and split streams)
 */
public record DataConfig(String source, int trainSize, int testSize, long seed) {
  public DataConfig {
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException("data source is required");
    }
    if (trainSize <= 0) {
      throw new IllegalArgumentException("trainSize must be > 0, got " + trainSize);
    }
    if (testSize < 0) {
      throw new IllegalArgumentException("testSize must be >= 0, got " + testSize);
    }
  }

  public static DataConfig synthetic(int trainSize, int testSize) {
    return new DataConfig("synthetic", trainSize, testSize, 2024);
  }
}
