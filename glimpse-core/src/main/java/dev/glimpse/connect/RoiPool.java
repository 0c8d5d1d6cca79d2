package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;
import dev.glimpse.nn.RoiAlign;

/**
 * RoIAlign over boxes, then the mean of its bins (MM-GEM stage 2): one vector per region, from the
 * features under that region only. Without boxes each image is one region covering it whole.
 *
 * @param bins RoIAlign output side (bins x bins)
 * @param samplingRatio samples per bin along each axis (0: adaptive, as torchvision)
 */
public record RoiPool(int bins, int samplingRatio) implements PoolAggregator {
  public RoiPool {
    if (bins <= 0) {
      throw new IllegalArgumentException("RoI bins must be > 0, got " + bins);
    }
  }

  @Override
  public NDArray pool(NDArray features, int gridH, int gridW, int patchSize, float[][] boxes) {
    long b = features.getShape().get(0);
    long c = features.getShape().get(2);
    float[][] regions = boxes != null ? boxes : PoolAggregator.wholeImages((int) b, gridH * patchSize, gridW * patchSize);
    NDArray map = features.transpose(0, 2, 1).reshape(b, c, gridH, gridW);                 // [B, C, gh, gw]
    NDArray aligned = new RoiAlign(bins, bins, 1.0 / patchSize, samplingRatio, true).forward(map, regions); // [R, C, bins, bins]
    return aligned.reshape(regions.length, c, (long) bins * bins).mean(new int[] {2});    // [R, C]
  }
}
