package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A diffusion timestep as a vector (DiT, ADM): sinusoidal features of t at {@code frequencies}
 * frequencies (half cosines, half sines, periods from 2 pi up to 2 pi 10000), then a two-layer MLP
 * with SiLU to the model width.
 */
public final class TimestepEmbedding {
  private static final double MAX_PERIOD = 10_000;
  private final int frequencies;
  private final Linear first;
  private final Linear second;

  public TimestepEmbedding(ParameterStore.Scope scope, int frequencies, int width, double std) {
    if (frequencies <= 0 || frequencies % 2 != 0) {
      throw new IllegalArgumentException("timestep frequencies must be a positive even number, got " + frequencies);
    }
    this.frequencies = frequencies;
    this.first = new Linear(scope.sub("linear_1"), frequencies, width, true, std);
    this.second = new Linear(scope.sub("linear_2"), width, width, true, std);
  }

  /** The sinusoidal features of each timestep: [B] -> [B, frequencies] (cos first, then sin). */
  public static NDArray sinusoidal(NDManager manager, int[] timesteps, int frequencies) {
    int half = frequencies / 2;
    float[] out = new float[timesteps.length * frequencies];
    for (int i = 0; i < timesteps.length; i++) {
      for (int k = 0; k < half; k++) {
        double angle = timesteps[i] * Math.exp(-Math.log(MAX_PERIOD) * k / half);
        out[i * frequencies + k] = (float) Math.cos(angle);
        out[i * frequencies + half + k] = (float) Math.sin(angle);
      }
    }
    return manager.create(out, new Shape(timesteps.length, frequencies));
  }

  /** timesteps (one per row) -> [B, width]. */
  public NDArray forward(NDManager manager, int[] timesteps) {
    NDArray features = sinusoidal(manager, timesteps, frequencies);               // [B, F]
    return second.forward(ActivationType.SILU.apply(first.forward(features)));   // [B, D]
  }
}
