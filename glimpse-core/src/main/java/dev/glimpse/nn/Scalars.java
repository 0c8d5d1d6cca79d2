package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that is safe under autograd. DJL 0.35's {@code NDArray.mul(Number)} (and
 * add, sub, div, pow with a Number) wraps the constant in a tensor backed by a Java direct buffer and
 * releases that buffer as soon as the forward op returns; autograd keeps the constant for the backward
 * pass, so a garbage collection in between makes gradients read freed memory (NaN or silently wrong
 * gradients). Here the constant is allocated by the engine itself, which reference-counts it.
 *
 * <p>Every op whose backward reads its constant goes through here wherever autograd may record it:
 * {@code mul}, {@code div}, {@code pow}, {@code maximum}, {@code minimum} (a clamp's backward compares
 * the input with the stale constant, so a freed {@code 1e-12} floor silently drops the gradient
 * through a norm). {@code add} and {@code sub} keep nothing for the backward pass. Code that never
 * records a graph (the optimizer, samplers) may use DJL's Number overloads; {@code ScalarsTest} lists
 * where they are allowed.
 */
public final class Scalars {
  private Scalars() {}

  /** The constant as an engine-owned 0-d tensor of {@code like}'s type. */
  public static NDArray constant(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }

  public static NDArray mul(NDArray x, double value) {
    return x.mul(constant(x, value));
  }

  public static NDArray add(NDArray x, double value) {
    return x.add(constant(x, value));
  }

  public static NDArray pow(NDArray x, double exponent) {
    return x.pow(constant(x, exponent));
  }

  public static NDArray div(NDArray x, double value) {
    return x.div(constant(x, value));
  }

  /** Elementwise {@code max(x, value)}: a floor. */
  public static NDArray maximum(NDArray x, double value) {
    return x.maximum(constant(x, value));
  }

  /** Elementwise {@code min(x, value)}: a ceiling. */
  public static NDArray minimum(NDArray x, double value) {
    return x.minimum(constant(x, value));
  }
}
