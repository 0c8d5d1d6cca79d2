package dev.glimpse.train;

/** Linear warmup from 0 to the peak, then cosine decay to {@code peak * minRatio} at the last step. */
public record LrSchedule(double peak, int warmupSteps, int totalSteps, double minRatio) {
  public static LrSchedule of(TrainConfig cfg) {
    return new LrSchedule(cfg.learningRate(), cfg.warmupSteps(), cfg.steps(), cfg.minLrRatio());
  }

  /** Learning rate for optimizer step {@code step} (0-based). */
  public double at(long step) {
    if (warmupSteps > 0 && step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    int decaySteps = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
    return peak * (minRatio + (1 - minRatio) * cosine);
  }
}
