package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;

/**
 * Turns a vision encoder's feature map into one vector per image or per region (MM-GEM's
 * PoolAggregator): {@link MeanPool} over the whole image in stage 1, {@link RoiPool} over boxes in
 * stage 2.
 */
public sealed interface PoolAggregator permits MeanPool, RoiPool {
  /**
   * @param features [B, N, C] patch features, row-major over a {@code gridH x gridW} grid (no CLS)
   * @param patchSize input pixels per grid cell
   * @param boxes [R][5] regions: image index, x1, y1, x2, y2 in input pixels; null for one vector per
   *     whole image
   * @return [R, C], or [B, C] without boxes
   */
  NDArray pool(NDArray features, int gridH, int gridW, int patchSize, float[][] boxes);

  /** The regions that cover each of {@code images} whole {@code height x width} inputs. */
  static float[][] wholeImages(int images, int height, int width) {
    float[][] boxes = new float[images][];
    for (int i = 0; i < images; i++) {
      boxes[i] = new float[] {i, 0, 0, width, height};
    }
    return boxes;
  }
}
