package dev.glimpse.data;

/**
 * One image cut into patches at its own grid (native aspect ratio): {@code gridHeight x gridWidth}
 * patches, row-major, each flattened as (channel, row, column).
 *
 * @param patches [gridHeight * gridWidth, 3 * p * p] normalised pixels
 */
public record NativeImage(int gridHeight, int gridWidth, int patchDim, float[] patches) {
  public NativeImage {
    if (gridHeight <= 0 || gridWidth <= 0 || patchDim <= 0) {
      throw new IllegalArgumentException("grid and patch sizes must be > 0, got " + gridHeight + "x" + gridWidth
          + " of " + patchDim);
    }
    if (patches.length != gridHeight * gridWidth * patchDim) {
      throw new IllegalArgumentException("expected " + gridHeight * gridWidth * patchDim + " floats, got "
          + patches.length);
    }
  }

  public int tokens() {
    return gridHeight * gridWidth;
  }
}
