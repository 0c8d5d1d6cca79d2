package dev.glimpse.loss;

import ai.djl.ndarray.NDArray;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.Scalars;

/**
 * The temperature of a contrastive loss, given as its inverse, the logit scale {@code 1 / tau}:
 * learned (CLIP: a log-scale parameter starting at {@code 1 / 0.07}, the scale clipped at 100 so the
 * logits are never multiplied by more), scheduled over the run (MM-GEM: 0.07 to 0.01), or fixed.
 */
public sealed interface Temperature {
  /** The logit scale at this point of the run, a scalar on {@code like}'s manager. */
  NDArray logitScale(NDArray like, double progress);

  /** The temperature ({@code 1 / scale}) at this point of the run, for logs. */
  double value(double progress);

  /**
   * A learned temperature: parameter {@code <scope>.logit_scale} holds {@code log(1 / tau)}, starting at
   * {@code initial}; the scale is clipped at {@code 1 / minimum} (CLIP: 0.07 and 0.01).
   */
  static Temperature learnable(ParameterStore.Scope scope, double initial, double minimum) {
    if (!(initial > 0) || !(minimum > 0) || minimum > initial) {
      throw new IllegalArgumentException("temperatures must satisfy 0 < minimum <= initial, got initial " + initial
          + ", minimum " + minimum);
    }
    return new Learned(scope.token("logit_scale", Init.constant(Math.log(1 / initial)), 1), 1 / minimum);
  }

  /** A temperature moving linearly from {@code start} at the first step to {@code end} at the last. */
  static Temperature scheduled(double start, double end) {
    if (!(start > 0) || !(end > 0)) {
      throw new IllegalArgumentException("temperatures must be > 0, got " + start + " -> " + end);
    }
    return new Scheduled(start, end);
  }

  /** A fixed temperature. */
  static Temperature fixed(double tau) {
    return scheduled(tau, tau);
  }

  /** A learned log-scale, clipped at {@code maxScale}. */
  record Learned(Parameter logScale, double maxScale) implements Temperature {
    @Override
    public NDArray logitScale(NDArray like, double progress) {
      return Scalars.minimum(logScale.array().exp(), maxScale).reshape();  // scalar
    }

    @Override
    public double value(double progress) {
      return 1 / Math.min(Math.exp(logScale.array().getFloat(0)), maxScale);
    }
  }

  /** A temperature set by the run's progress. */
  record Scheduled(double start, double end) implements Temperature {
    @Override
    public NDArray logitScale(NDArray like, double progress) {
      return like.getManager().create((float) (1 / value(progress)));
    }

    @Override
    public double value(double progress) {
      return start + (end - start) * Math.max(0, Math.min(1, progress));
    }
  }
}
