package dev.glimpse.model;

/**
 * The forward (noising) process of a diffusion model (Ho et al. 2020): {@code timesteps} steps with
 * variances beta_t, and {@code alpha_bar_t = prod_{s<=t} (1 - beta_s)}; a clean image x0 becomes
 * {@code x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps} at step t (0-based).
 *
 * @param timesteps T, the number of training steps
 * @param kind {@value #LINEAR} (DDPM: betas evenly spaced from {@code betaStart} to {@code betaEnd}) or
 *     {@value #COSINE} (Nichol and Dhariwal 2021: {@code alpha_bar(t) = cos^2((t/T + s)/(1 + s) pi/2)},
 *     s = 0.008, betas clipped at 0.999; {@code betaStart}/{@code betaEnd} unused), which keeps more
 *     signal at the middle steps, where small images lose their content under the linear schedule
 * @param betaStart first beta of the linear schedule
 * @param betaEnd last beta of the linear schedule
 */
public record NoiseSchedule(int timesteps, String kind, double betaStart, double betaEnd) {
  public static final String LINEAR = "linear";
  public static final String COSINE = "cosine";
  private static final double COSINE_OFFSET = 0.008;
  private static final double MAX_BETA = 0.999;

  public NoiseSchedule {
    if (timesteps < 2) {
      throw new IllegalArgumentException("schedule timesteps must be >= 2, got " + timesteps);
    }
    if (!LINEAR.equals(kind) && !COSINE.equals(kind)) {
      throw new IllegalArgumentException("schedule kind must be '" + LINEAR + "' or '" + COSINE + "', got '" + kind + "'");
    }
    if (LINEAR.equals(kind) && !(betaStart > 0 && betaStart <= betaEnd && betaEnd < 1)) {
      throw new IllegalArgumentException("linear schedule needs 0 < betaStart <= betaEnd < 1, got " + betaStart + ", "
          + betaEnd);
    }
  }

  /** DDPM's schedule: 1000 steps, betas from 1e-4 to 0.02. */
  public static NoiseSchedule ddpm() {
    return new NoiseSchedule(1000, LINEAR, 1e-4, 0.02);
  }

  /** The cosine schedule over {@code timesteps} steps. */
  public static NoiseSchedule cosine(int timesteps) {
    return new NoiseSchedule(timesteps, COSINE, 0, 0);
  }

  /** beta_t for t = 0..T-1. */
  public double[] betas() {
    double[] betas = new double[timesteps];
    if (LINEAR.equals(kind)) {
      for (int t = 0; t < timesteps; t++) {
        betas[t] = betaStart + (betaEnd - betaStart) * t / (timesteps - 1);
      }
      return betas;
    }
    for (int t = 0; t < timesteps; t++) {
      betas[t] = Math.min(MAX_BETA, 1 - cosineAlphaBar(t + 1) / cosineAlphaBar(t));
    }
    return betas;
  }

  private double cosineAlphaBar(int t) {
    double c = Math.cos(((double) t / timesteps + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
    return c * c;
  }

  /** alpha_bar_t for t = 0..T-1, in double precision. */
  public double[] alphasCumprod() {
    double[] betas = betas();
    double[] out = new double[timesteps];
    double product = 1;
    for (int t = 0; t < timesteps; t++) {
      product *= 1 - betas[t];
      out[t] = product;
    }
    return out;
  }
}
