package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that is safe under autograd. DJL 0.35's {@code NDArray.mul(Number)} (and
 * add, sub, div, pow with a Number) wraps the constant in a tensor backed by a Java direct buffer and
 * releases that buffer as soon as the forward op returns; autograd keeps the constant for the backward
 * pass, so a garbage collection in between makes gradients read freed memory (NaN or silently wrong
 * gradients). Here the constant is allocated by the engine itself, which reference-counts it.
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
}
