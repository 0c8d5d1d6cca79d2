package dev.glimpse.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.glimpse.model.DiffusionProcess;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * DDIM sampling (Song, Meng and Ermon 2021, eq. 12) for a noise-predicting model: from pure noise at
 * the last training step down to a clean image in {@code steps} steps, deterministic with eta = 0
 * (the default) and DDPM-like with eta = 1. Each step from t to the previous step t':
 *
 * <pre>
 *   x0    = (x_t - sqrt(1 - a_t) eps) / sqrt(a_t)             (clipped to [-1, 1] if asked; eps re-derived)
 *   sigma = eta sqrt((1 - a_t') / (1 - a_t)) sqrt(1 - a_t / a_t')
 *   x_t'  = sqrt(a_t') x0 + sqrt(1 - a_t' - sigma^2) eps + sigma z
 * </pre>
 *
 * where a is alpha_bar and the step after the last is the clean image (a = 1). Steps are spaced
 * "trailing" (Lin et al. 2024): {@code t_i = round(T - i T / S) - 1}, so the first step is T - 1, the
 * step training saw pure noise at.
 */
public final class DdimSampler {
  /** The model's noise prediction for a whole batch at one step: eps_theta(x_t, t). */
  @FunctionalInterface
  public interface NoisePredictor {
    NDArray predict(NDArray noisy, int timestep);
  }

  /** The Gaussian z a stochastic step adds (eta > 0), shaped like {@code like}, for step {@code index}. */
  @FunctionalInterface
  public interface StepNoise {
    NDArray draw(int index, NDArray like);

    /** Standard normal values from a seeded stream, drawn in Java (the same on every engine). */
    static StepNoise seeded(long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      return (index, like) -> {
        float[] values = new float[(int) like.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) random.nextGaussian();
        }
        return like.getManager().create(values, like.getShape());
      };
    }
  }

  /**
   * @param steps sampling steps S (1..T)
   * @param eta 0 for deterministic DDIM, 1 for the DDPM posterior variance
   * @param clipSample clip the predicted clean image to [-1, 1] (pixel-space models)
   */
  public record Settings(int steps, double eta, boolean clipSample) {
    public Settings {
      if (steps < 1) {
        throw new IllegalArgumentException("sampling steps must be >= 1, got " + steps);
      }
      if (!(eta >= 0 && eta <= 1)) {
        throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
      }
    }
  }

  private final DiffusionProcess process;

  public DdimSampler(DiffusionProcess process) {
    this.process = process;
  }

  /** The S timesteps visited, first to last ("trailing" spacing). */
  public int[] timesteps(int steps) {
    int total = process.timesteps();
    if (steps < 1 || steps > total) {
      throw new IllegalArgumentException("sampling steps must be in 1.." + total + ", got " + steps);
    }
    int[] out = new int[steps];
    double stride = (double) total / steps;
    for (int i = 0; i < steps; i++) {
      out[i] = (int) Math.round(total - i * stride) - 1;
    }
    return out;
  }

  /**
   * Runs the sampler from {@code start} (x_T, standard normal) and returns x0; {@code start} stays
   * the caller's. Each step's intermediates are freed with its scope.
   *
   * @param noise the z of stochastic steps (unused with eta = 0), may be null then
   * @param progress called with the number of steps done after each, may be null
   */
  public NDArray sample(NDArray start, NoisePredictor model, Settings settings, StepNoise noise, IntConsumer progress) {
    if (settings.eta() > 0 && noise == null) {
      throw new IllegalArgumentException("a stochastic sampler (eta > 0) needs a noise source");
    }
    int[] steps = timesteps(settings.steps());
    NDArray x = start;
    for (int i = 0; i < steps.length; i++) {
      int t = steps[i];
      int previous = i + 1 < steps.length ? steps[i + 1] : -1;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray eps = model.predict(x, t);
        NDArray z = settings.eta() > 0 ? noise.draw(i, x) : null;
        NDArray next = step(x, eps, t, previous, settings.eta(), settings.clipSample(), z);
        NDScope.unregister(next);
        if (x != start) {
          x.close();
        }
        x = next;
      }
      if (progress != null) {
        progress.accept(i + 1);
      }
    }
    return x;
  }

  /**
   * One DDIM update from step {@code t} to step {@code previous} (-1: the clean image).
   *
   * @param x x_t [B, ...]
   * @param eps the predicted noise, same shape
   * @param z standard normal noise for eta > 0, else ignored (may be null)
   */
  public NDArray step(NDArray x, NDArray eps, int t, int previous, double eta, boolean clipSample, NDArray z) {
    double at = process.alphaBar(t);
    double ap = process.alphaBar(previous);
    NDArray clean = x.sub(eps.mul((float) Math.sqrt(1 - at))).div((float) Math.sqrt(at));     // x0 estimate
    if (clipSample) {
      clean = clean.clip(-1f, 1f);
      eps = x.sub(clean.mul((float) Math.sqrt(at))).div((float) Math.sqrt(1 - at));          // consistent with x0
    }
    double sigma = eta * Math.sqrt((1 - ap) / (1 - at)) * Math.sqrt(1 - at / ap);
    double direction = Math.sqrt(Math.max(0, 1 - ap - sigma * sigma));
    NDArray next = clean.mul((float) Math.sqrt(ap)).add(eps.mul((float) direction));
    if (sigma > 0) {
      next = next.add(z.mul((float) sigma));
    }
    return next;
  }
}
