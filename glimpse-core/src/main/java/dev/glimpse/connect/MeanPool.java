package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;

/** The mean of every patch feature of an image (MM-GEM stage 1): [B, N, C] -> [B, C]. */
public record MeanPool() implements PoolAggregator {
  @Override
  public NDArray pool(NDArray features, int gridH, int gridW, int patchSize, float[][] boxes) {
    if (boxes != null) {
      throw new IllegalArgumentException("MeanPool pools whole images; regions need RoiPool");
    }
    return features.mean(new int[] {1});                                        // [B, C]
  }
}
