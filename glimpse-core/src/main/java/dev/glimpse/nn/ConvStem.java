package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.ArrayList;
import java.util.List;

/**
 * A convolutional stem in place of the patch convolution (Xiao et al. 2021, "Early Convolutions Help
 * Transformers See Better"): {@code log2(p)} 3x3 convolutions with stride 2 and GELU, then a 1x1
 * convolution to the token width, so a {@code p x p} patch still becomes one token but the token is
 * built from overlapping local filters instead of one linear map of raw pixels. Small ViTs trained
 * from scratch pick up local shape (corners, points, curvature) much sooner with it.
 *
 * <p>By default channels double at each stride-2 layer and end at half the token width ({@code D/8, D/4, D/2}
 * for 8x8 patches), at least 16. The deep variant ({@code deep}) has twice those channels (at least
 * 32) and follows every stride-2 convolution with a stride-1 3x3 convolution and GELU, as the stages
 * of a small ResNet (ViT-Hybrid): fine strokes such as letters, which the light stem does not resolve
 * within a quick budget, are learned much sooner with it (see docs/experiments/scene-text-reading.md).
 * Any other channels per stage can be given ({@link VisionConfig#stemChannels}). With a patchify size
 * {@code k} ({@link VisionConfig#stemPatchify}) the first stage is one non-overlapping {@code k x k}
 * convolution of stride {@code k} (ConvNeXt) instead of {@code log2(k)} stride-2 3x3 layers: at high
 * resolution with few channels those run far below the CPU's matmul speed.
 * Weights start He-normal (fan-in), biases at zero. No normalisation inside the stem: the pre-LN
 * transformer normalises its input.
 */
public final class ConvStem {
  // In order of application: [C_out, C_in, k, k] per convolution, last [D, C, 1, 1].
  private final List<Parameter> weights = new ArrayList<>();
  private final List<Parameter> biases = new ArrayList<>();  // [C_out]
  private final List<Integer> strides = new ArrayList<>();   // of the k x k convolutions
  private final List<Integer> paddings = new ArrayList<>();
  private final int patchSize;

  /** The light stem. */
  public ConvStem(ParameterStore.Scope scope, int channels, int patchSize, int width) {
    this(scope, channels, patchSize, width, false);
  }

  /**
   * @param deep twice the channels and a stride-1 3x3 convolution after each stride-2 one
   */
  public ConvStem(ParameterStore.Scope scope, int channels, int patchSize, int width, boolean deep) {
    this(scope, channels, patchSize, width, deep, defaultChannels(patchSize, width, deep));
  }

  /**
   * @param deep a stride-1 3x3 convolution after each stride-2 one
   * @param stages output channels of each stage, one per stride-2 layer ({@code log2(patchSize)})
   */
  public ConvStem(ParameterStore.Scope scope, int channels, int patchSize, int width, boolean deep,
      List<Integer> stages) {
    this(scope, channels, patchSize, width, deep, stages, 0);
  }

  /**
   * @param deep a stride-1 3x3 convolution after each stage's downsampling one
   * @param stages output channels of each stage ({@link #stagesFor})
   * @param patchify 0, or the side and stride of a first non-overlapping convolution that replaces
   *     the first {@code log2(patchify)} stride-2 layers
   */
  public ConvStem(ParameterStore.Scope scope, int channels, int patchSize, int width, boolean deep,
      List<Integer> stages, int patchify) {
    int count = stagesFor(patchSize, patchify);
    if (stages.size() != count) {
      throw new IllegalArgumentException("a conv stem for patch size " + patchSize
          + (patchify > 0 ? " with patchify " + patchify : "") + " has " + count + " stages, got channels for "
          + stages.size() + ": " + stages);
    }
    this.patchSize = patchSize;
    int in = channels;
    for (int i = 0; i < count; i++) {
      int out = stages.get(i);
      if (i == 0 && patchify > 0) {
        conv(scope.sub("conv", i), in, out, patchify, patchify, 0);
      } else {
        conv(scope.sub("conv", i), in, out, 3, 2, 1);
      }
      if (deep) {
        conv(scope.sub("refine", i), out, out, 3, 1, 1);
      }
      in = out;
    }
    ParameterStore.Scope proj = scope.sub("proj");
    weights.add(proj.weight("weight", Init.normal(1.0 / Math.sqrt(in)), width, in, 1, 1));
    biases.add(proj.bias("bias", width));
  }

  private void conv(ParameterStore.Scope conv, int in, int out, int kernel, int stride, int padding) {
    weights.add(conv.weight("weight", Init.normal(Math.sqrt(2.0 / (in * kernel * kernel))), out, in, kernel, kernel));
    biases.add(conv.bias("bias", out));
    strides.add(stride);
    paddings.add(padding);
  }

  /** Stride-2 layers for a patch size: log2(p); p must be a power of two, at least 2. */
  public static int layersFor(int patchSize) {
    if (patchSize < 2 || Integer.bitCount(patchSize) != 1) {
      throw new IllegalArgumentException("a conv stem needs a power-of-two patch size >= 2, got " + patchSize);
    }
    return Integer.numberOfTrailingZeros(patchSize);
  }

  /**
   * Stages of a stem for a patch size: {@code log2(patchSize)}, or with a patchify layer of side
   * {@code patchify} (a power of two from 2 to the patch size; 0 for none) {@code 1 +
   * log2(patchSize / patchify)}.
   */
  public static int stagesFor(int patchSize, int patchify) {
    int layers = layersFor(patchSize);
    if (patchify == 0) {
      return layers;
    }
    if (patchify < 2 || Integer.bitCount(patchify) != 1 || patchify > patchSize) {
      throw new IllegalArgumentException("stem patchify must be a power of two from 2 to the patch size "
          + patchSize + ", got " + patchify);
    }
    return 1 + layers - Integer.numberOfTrailingZeros(patchify);
  }

  /**
   * The default output channels per stage: doubling up to D/2, at least 16; twice that in the deep
   * stem.
   */
  public static List<Integer> defaultChannels(int patchSize, int width, boolean deep) {
    int layers = layersFor(patchSize);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      int light = Math.max(16, width >> (layers - i));
      out.add(deep ? 2 * light : light);
    }
    return out;
  }

  /**
   * Multiply-adds of the stem for one {@code height x width} image with {@code stages} channels per
   * stage (see {@link #defaultChannels}), its first stage a patchify layer of side {@code patchify}
   * (0: none).
   */
  public static long macs(int channels, List<Integer> stages, int width, int height, int imageWidth,
      boolean deep, int patchify) {
    long macs = 0;
    long in = channels;
    long h = height;
    long w = imageWidth;
    for (int i = 0; i < stages.size(); i++) {
      long out = stages.get(i);
      int stride = i == 0 && patchify > 0 ? patchify : 2;
      int kernel = i == 0 && patchify > 0 ? patchify : 3;
      h /= stride;
      w /= stride;
      macs += h * w * out * in * kernel * kernel;
      if (deep) {
        macs += h * w * out * out * 9;
      }
      in = out;
    }
    return macs + h * w * width * in;
  }

  /** images [B, C, H, W] -> tokens [B, (H/p)*(W/p), D], row-major over the patch grid. */
  public NDArray forward(NDArray images) {
    Shape s = images.getShape();
    if (s.dimension() != 4 || s.get(2) % patchSize != 0 || s.get(3) % patchSize != 0) {
      throw new IllegalArgumentException("images must be [B, C, H, W] with H and W multiples of "
          + patchSize + ", got " + s);
    }
    NDArray x = images;
    int last = weights.size() - 1;
    for (int i = 0; i < last; i++) {
      // stride s: [B, C_in, h, w] -> [B, C_out, h/s, w/s]; stride 1 (deep stem): shape kept
      int stride = strides.get(i);
      int pad = paddings.get(i);
      x = Conv2d.conv2d(x, weights.get(i).array(), biases.get(i).array(), new Shape(stride, stride),
          new Shape(pad, pad)).singletonOrThrow();
      x = ai.djl.nn.Activation.gelu(x);
    }
    // [B, C, gh, gw] -> [B, D, gh, gw] -> [B, gh*gw, D]
    NDArray grid = Conv2d.conv2d(x, weights.get(last).array(), biases.get(last).array()).singletonOrThrow();
    return grid.flatten(2, 3).transpose(0, 2, 1);
  }

  public int patchSize() {
    return patchSize;
  }
}
