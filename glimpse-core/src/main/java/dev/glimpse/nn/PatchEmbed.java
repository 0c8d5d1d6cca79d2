package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Non-overlapping patches to tokens: a convolution with kernel = stride = patch size. */
public final class PatchEmbed {
  private final Parameter weight; // [D, C, p, p]
  private final Parameter bias;   // [D] or null
  private final int patchSize;

  public PatchEmbed(ParameterStore.Scope scope, int channels, int patchSize, int width, boolean bias, double std) {
    this.patchSize = patchSize;
    this.weight = scope.weight("weight", Init.normal(std), width, channels, patchSize, patchSize);
    this.bias = bias ? scope.bias("bias", width) : null;
  }

  /** images [B, C, H, W] -> tokens [B, (H/p)*(W/p), D], row-major over the patch grid. */
  public NDArray forward(NDArray images) {
    Shape s = images.getShape();
    if (s.dimension() != 4 || s.get(2) % patchSize != 0 || s.get(3) % patchSize != 0) {
      throw new IllegalArgumentException("images must be [B, C, H, W] with H and W multiples of "
          + patchSize + ", got " + s);
    }
    Shape stride = new Shape(patchSize, patchSize);
    NDArray grid = bias == null
        ? ai.djl.nn.convolutional.Conv2d.conv2d(images, weight.array(), null, stride).singletonOrThrow()
        : ai.djl.nn.convolutional.Conv2d.conv2d(images, weight.array(), bias.array(), stride).singletonOrThrow();
    // [B, D, gh, gw] -> [B, gh*gw, D]
    return grid.flatten(2, 3).transpose(0, 2, 1);
  }

  /**
   * Patches flattened on the host, in the weight's (channel, row, column) order, to tokens: the same
   * product as {@link #forward} for images whose patches do not share one grid (native aspect ratio,
   * packed sequences). patches [B, L, C*p*p] -> [B, L, D].
   */
  public NDArray forwardPatches(NDArray patches) {
    long d = weight.shape().get(0);
    NDArray w = weight.array().reshape(d, -1);                            // [D, C*p*p]
    return bias == null
        ? ai.djl.nn.core.Linear.linear(patches, w).singletonOrThrow()
        : ai.djl.nn.core.Linear.linear(patches, w, bias.array()).singletonOrThrow();
  }

  /**
   * Cuts a CHW image (floats, height and width multiples of {@code patchSize}) into row-major patches,
   * each flattened as (channel, row, column): [gh*gw, C*p*p] as one float array.
   */
  public static float[] patchify(float[] chw, int channels, int height, int width, int patchSize) {
    if (height % patchSize != 0 || width % patchSize != 0 || chw.length != channels * height * width) {
      throw new IllegalArgumentException("image " + channels + "x" + height + "x" + width
          + " does not split into " + patchSize + "x" + patchSize + " patches");
    }
    int gh = height / patchSize;
    int gw = width / patchSize;
    int per = channels * patchSize * patchSize;
    float[] out = new float[gh * gw * per];
    for (int gy = 0; gy < gh; gy++) {
      for (int gx = 0; gx < gw; gx++) {
        int base = (gy * gw + gx) * per;
        for (int c = 0; c < channels; c++) {
          for (int y = 0; y < patchSize; y++) {
            int src = c * height * width + (gy * patchSize + y) * width + gx * patchSize;
            System.arraycopy(chw, src, out, base + (c * patchSize + y) * patchSize, patchSize);
          }
        }
      }
    }
    return out;
  }

  public int patchSize() {
    return patchSize;
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }
}
