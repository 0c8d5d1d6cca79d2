package dev.glimpse.model;

import ai.djl.ndarray.NDManager;

/**
 * The narrow interface shared generation needs: a model that has encoded its visual input and prompt
 * into a {@link DecodeState} (model-specific {@code prefill}) and can then advance one token.
 */
public interface StepModel {
  int vocabSize();

  /**
   * Appends {@code ids} (one per row) to the state and sets the state's logits for the following
   * token. With a cache only the new tokens are run; without one the whole sequence is.
   *
   * @param manager where the step's tensors are created (the caller's per-step scope closes them)
   */
  void step(DecodeState state, long[] ids, NDManager manager);
}
