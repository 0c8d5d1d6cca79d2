package dev.glimpse.model;

import ai.djl.ndarray.NDArray;

/**
 * The narrow interface shared generation needs: a model that has encoded its visual input and prompt
 * into a {@link DecodeState} (model-specific {@code prefill}) and can then advance one token.
 */
public interface StepModel {
  int vocabSize();

  /**
   * Appends {@code ids} ([B] int64, one per row) to the state and sets the state's logits for the
   * following token. With a cache only the new tokens are run; without one the whole sequence is.
   */
  void step(DecodeState state, NDArray ids);
}
