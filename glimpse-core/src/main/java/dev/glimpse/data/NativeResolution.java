package dev.glimpse.data;

import dev.glimpse.nn.PatchEmbed;
import java.awt.image.BufferedImage;

/**
 * Native aspect ratio under a token budget (GenLIP stage 2, as NaViT / Qwen2-VL): the image is
 * resized so that its patch grid keeps the image's aspect ratio and holds at most {@code maxPatches}
 * patches, scaling up small images and down large ones, then cut into patches. A square image with a
 * budget of 36 gets 6x6 patches; a 2.5:1 image gets 4x9 (36) instead of a letterboxed 6x6 with a
 * third of it border.
 *
 * @param patchSize patch side in pixels
 * @param maxPatches token budget per image
 */
public record NativeResolution(int patchSize, int maxPatches) {
  public NativeResolution {
    if (patchSize <= 0) {
      throw new IllegalArgumentException("patchSize must be > 0, got " + patchSize);
    }
    if (maxPatches <= 0) {
      throw new IllegalArgumentException("maxPatches must be > 0, got " + maxPatches);
    }
  }

  /** The patch grid {rows, columns} for an image of {@code width x height} pixels. */
  public int[] grid(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be > 0, got " + width + "x" + height);
    }
    double aspect = (double) width / height;
    // The largest grid within the budget whose sides keep the aspect ratio, one side rounded: both sides
    // are tried as the free one, so a wide image and its transpose get transposed grids.
    int bestRows = 1;
    int bestColumns = 1;
    double bestError = Double.MAX_VALUE;
    for (int side = 1; side <= maxPatches; side++) {
      int[][] candidates = {{side, (int) Math.round(side * aspect)}, {(int) Math.round(side / aspect), side}};
      for (int[] c : candidates) {
        int rows = Math.max(1, c[0]);
        int columns = Math.max(1, c[1]);
        if (rows * columns > maxPatches) {
          continue;
        }
        double error = Math.abs(Math.log((double) columns / rows / aspect));
        if (rows * columns > bestRows * bestColumns
            || (rows * columns == bestRows * bestColumns && error < bestError)) {
          bestRows = rows;
          bestColumns = columns;
          bestError = error;
        }
      }
    }
    return new int[] {bestRows, bestColumns};
  }

  /** Resizes (area averaging / bilinear) to the grid and normalises with {@code normalisation}'s mean and std. */
  public NativeImage apply(BufferedImage image, ImageTransform normalisation) {
    int[] g = grid(image.getWidth(), image.getHeight());
    int h = g[0] * patchSize;
    int w = g[1] * patchSize;
    ImageTransform exact = new ImageTransform(h, w, normalisation.mean(), normalisation.std(), ImageTransform.STRETCH, 0);
    float[] chw = exact.apply(image);
    return new NativeImage(g[0], g[1], 3 * patchSize * patchSize, PatchEmbed.patchify(chw, 3, h, w, patchSize));
  }
}
