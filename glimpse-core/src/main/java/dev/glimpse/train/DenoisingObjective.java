package dev.glimpse.train;

import ai.djl.ndarray.NDArray;
import dev.glimpse.data.DenoisingBatch;
import dev.glimpse.loss.DenoisingLoss;
import dev.glimpse.model.Condition;
import dev.glimpse.model.DiffusionModel;
import java.util.function.Function;

/**
 * The denoising loss of a diffusion decoder (logged as {@code loss_denoise}): each clean image is
 * noised at its timestep, the decoder predicts the noise given a condition, and the loss is the mean
 * squared error to the true noise. What the condition is makes the design: the caption's context for a
 * text-to-image model, the caption embedding of the image itself for VLV stage 1 (where only the
 * encoder learns and the decoder stays frozen).
 */
public final class DenoisingObjective implements Objective<DenoisingBatch> {
  /** The name of the loss in logs. */
  public static final String NAME = "loss_denoise";

  private final DiffusionModel decoder;
  private final Function<DenoisingBatch.Tensors, Condition> condition;

  /** @param condition the condition of a batch (computed inside the gradient collector) */
  public DenoisingObjective(DiffusionModel decoder, Function<DenoisingBatch.Tensors, Condition> condition) {
    this.decoder = decoder;
    this.condition = condition;
  }

  @Override
  public Loss loss(DenoisingBatch batch, Step step) {
    DenoisingBatch.Tensors t = batch.toTensors(step.manager());
    NDArray noisy = decoder.process().addNoise(t.pixels(), t.noise(), batch.timesteps()); // x_t [B, C, H, W]
    NDArray predicted = decoder.predictNoise(noisy, batch.timesteps(), condition.apply(t));
    return Loss.named(NAME, DenoisingLoss.forward(predicted, t.noise()), batch.size());
  }
}
