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
