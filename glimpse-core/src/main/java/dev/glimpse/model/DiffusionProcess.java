package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The tensors of a {@link NoiseSchedule}: noising a batch at per-example timesteps (training), and the
 * coefficients a sampler reads. alpha_bar is kept in double precision and each coefficient rounded
 * once to float.
 */
public final class DiffusionProcess {
  private final NoiseSchedule schedule;
  private final double[] alphaBar;

  public DiffusionProcess(NoiseSchedule schedule) {
    this.schedule = schedule;
    this.alphaBar = schedule.alphasCumprod();
  }

  public NoiseSchedule schedule() {
    return schedule;
  }

  public int timesteps() {
    return alphaBar.length;
  }

  /** alpha_bar_t; t = -1 is the clean image (1). */
  public double alphaBar(int t) {
    return t < 0 ? 1 : alphaBar[t];
  }

  /**
   * x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps, each row at its own step.
   *
   * @param clean x0 [B, ...]
   * @param noise eps, same shape
   * @param timesteps t per row, in 0..T-1
   */
  public NDArray addNoise(NDArray clean, NDArray noise, int[] timesteps) {
    long b = clean.getShape().get(0);
    if (timesteps.length != b) {
      throw new IllegalArgumentException("one timestep per row: " + b + " rows, " + timesteps.length + " timesteps");
    }
    float[] signal = new float[(int) b];
    float[] spread = new float[(int) b];
    for (int i = 0; i < b; i++) {
      int t = timesteps[i];
      if (t < 0 || t >= alphaBar.length) {
        throw new IllegalArgumentException("timestep " + t + " outside 0.." + (alphaBar.length - 1));
      }
      signal[i] = (float) Math.sqrt(alphaBar[t]);
      spread[i] = (float) Math.sqrt(1 - alphaBar[t]);
    }
    Shape column = perRow(clean.getShape());
    NDArray a = clean.getManager().create(signal, column);                     // [B, 1, ...]
    NDArray s = clean.getManager().create(spread, column);                     // [B, 1, ...]
    return clean.mul(a).add(noise.mul(s));
  }

  // [B, d1, d2, ...] -> [B, 1, 1, ...]
  private static Shape perRow(Shape shape) {
    long[] dims = new long[shape.dimension()];
    java.util.Arrays.fill(dims, 1);
    dims[0] = shape.get(0);
    return new Shape(dims);
  }
}
