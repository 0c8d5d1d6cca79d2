package dev.glimpse.loss;

import ai.djl.ndarray.NDArray;

/**
 * The standard denoising loss of a noise-predicting diffusion model (Ho et al. 2020, eq. 14; VLV's
 * {@code L_denoise}): the mean squared error between the predicted and the true noise, averaged over
 * every element of the batch.
 */
public final class DenoisingLoss {
  private DenoisingLoss() {}

  /**
   * @param predicted eps_theta(x_t, t, c), [B, C, H, W]
   * @param noise the eps that made x_t, same shape
   * @return the scalar loss
   */
  public static NDArray forward(NDArray predicted, NDArray noise) {
    if (!predicted.getShape().equals(noise.getShape())) {
      throw new IllegalArgumentException("predicted noise " + predicted.getShape() + " and noise " + noise.getShape()
          + " differ in shape");
    }
    return predicted.sub(noise).square().mean();
  }
}
