package dev.glimpse.train;

import dev.glimpse.data.ExampleBatcher;

/**
 * How one run trains its model: examples become batches of type {@code B} ({@code batcher}, on the
 * loader thread), from which the {@code objective} computes the loss.
 */
public record Training<B>(ExampleBatcher<B> batcher, Objective<B> objective) {
  public Training {
    if (batcher == null || objective == null) {
      throw new IllegalArgumentException("a training needs a batcher and an objective");
    }
  }
}
