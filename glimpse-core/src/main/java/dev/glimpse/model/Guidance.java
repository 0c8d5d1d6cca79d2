package dev.glimpse.model;

import ai.djl.ndarray.NDArray;

/** Classifier-free guidance (Ho and Salimans 2022): eps = u + s (c - u). */
public final class Guidance {
  private Guidance() {}

  /** u + s (c - u); at s = 1 the conditional prediction itself. */
  public static NDArray combine(NDArray conditional, NDArray unconditional, double scale) {
    if (scale == 1) {
      return conditional;
    }
    return unconditional.add(conditional.sub(unconditional).mul((float) scale));
  }
}
