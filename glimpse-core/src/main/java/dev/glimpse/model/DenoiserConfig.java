package dev.glimpse.model;

import dev.glimpse.nn.TransformerConfig;

/**
 * The noise predictor of a pixel-space diffusion model: a DiT (Peebles and Xie 2023) on non-overlapping
 * patches with adaLN-Zero timestep conditioning and cross-attention to a text context (PixArt-alpha);
 * see {@link DiffusionTransformer}.
 *
 * @param imageSize square image side in pixels
 * @param channels image channels (3)
 * @param patchSize patch side; tokens = (imageSize / patchSize)^2
 * @param stack the blocks' width, depth, heads and MLP (its norm and activation are used; no final norm)
 * @param timeFrequencies sinusoidal features of the timestep (DiT: 256)
 */
public record DenoiserConfig(int imageSize, int channels, int patchSize, TransformerConfig stack, int timeFrequencies) {
  public DenoiserConfig {
    if (imageSize <= 0 || patchSize <= 0 || imageSize % patchSize != 0) {
      throw new IllegalArgumentException("denoiser imageSize " + imageSize + " must be a positive multiple of patchSize "
          + patchSize);
    }
    if (channels <= 0) {
      throw new IllegalArgumentException("denoiser channels must be > 0, got " + channels);
    }
    if (stack == null) {
      throw new IllegalArgumentException("the denoiser needs a transformer config");
    }
    if (stack.ropeTheta() > 0) {
      throw new IllegalArgumentException("the denoiser uses learned 2D positions, not rotary ones (ropeTheta 0)");
    }
    if (timeFrequencies <= 0 || timeFrequencies % 2 != 0) {
      throw new IllegalArgumentException("denoiser timeFrequencies must be a positive even number, got "
          + timeFrequencies);
    }
  }

  /** A DiT at {@code imageSize} with {@code patchSize} patches over {@code stack}, 256 timestep frequencies, RGB. */
  public static DenoiserConfig of(int imageSize, int patchSize, TransformerConfig stack) {
    return new DenoiserConfig(imageSize, 3, patchSize, stack, 256);
  }

  public int gridSize() {
    return imageSize / patchSize;
  }

  public int width() {
    return stack.width();
  }
}
