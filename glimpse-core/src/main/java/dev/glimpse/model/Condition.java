package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.nn.AttentionMask;

/**
 * What a diffusion model's noise prediction is conditioned on: context vectors from its text encoder
 * (of a prompt, or of VLV's caption embedding) and which of them are real.
 *
 * @param context [B, S, D]
 * @param valid [B, S] nonzero for real positions, or null when all are
 */
public record Condition(NDArray context, NDArray valid) {
  public Condition {
    if (context == null || context.getShape().dimension() != 3) {
      throw new IllegalArgumentException("a condition is a [B, S, D] context");
    }
  }

  public long batchSize() {
    return context.getShape().get(0);
  }

  /** The additive key mask of the context for cross-attention, [B, 1, 1, S], or null when every position is real. */
  public NDArray keyMask() {
    return valid == null ? null : AttentionMask.keyPadding(valid);
  }

  /** This condition's rows followed by {@code other}'s, the shorter context padded (and masked) to the longer. */
  public Condition concat(Condition other) {
    long length = Math.max(length(), other.length());
    Condition a = padded(length);
    Condition b = other.padded(length);
    return new Condition(a.context.concat(b.context, 0), a.validOrOnes().concat(b.validOrOnes(), 0));
  }

  /** The same condition repeated {@code times} per row (row i becomes rows i*times .. i*times+times-1). */
  public Condition repeat(int times) {
    if (times == 1) {
      return this;
    }
    return new Condition(context.repeat(0, times), valid == null ? null : valid.repeat(0, times));
  }

  private long length() {
    return context.getShape().get(1);
  }

  private NDArray validOrOnes() {
    return valid != null ? valid.toType(DataType.FLOAT32, false)
        : context.getManager().ones(new Shape(batchSize(), length()));
  }

  private Condition padded(long length) {
    long extra = length - length();
    if (extra == 0) {
      return this;
    }
    long d = context.getShape().get(2);
    NDArray zeros = context.getManager().zeros(new Shape(batchSize(), extra, d));
    NDArray none = context.getManager().zeros(new Shape(batchSize(), extra));
    return new Condition(context.concat(zeros, 1), validOrOnes().concat(none, 1));
  }
}
