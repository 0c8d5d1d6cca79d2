package dev.glimpse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** The loss of one design on one micro-batch; the {@link Trainer} does everything else. */
public interface Objective<B> {
  /** Runs the forward pass (inside the trainer's gradient collector) and returns the loss. */
  Loss loss(B batch, NDManager manager);

  /** A scalar loss and how many target tokens (or examples) it averages over. */
  record Loss(NDArray value, long tokens) {}
}
