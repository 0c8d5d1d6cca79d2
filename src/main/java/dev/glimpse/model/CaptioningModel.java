package dev.glimpse.model;

import ai.djl.ndarray.NDArray;

/**
 * A model that reads images (or video frames) and writes text: trained with teacher forcing through
 * {@link #forward}, decoded through {@link #prefill} and {@link StepModel#step}. GIT, GenLIP and the
 * imported HuggingFace decoders all implement it, so training, generation and evaluation are shared.
 */
public interface CaptioningModel extends StepModel {
  /**
   * @param pixels [B, 3, H, W] or [B, F, 3, H, W]
   * @param ids [B, T] int64 input ids (BOS first)
   * @param valid [B, T] 1 for real tokens
   * @return logits for the next token at each text position, [B, T, V]
   */
  NDArray forward(NDArray pixels, NDArray ids, NDArray valid);

  /** Encodes the visual input, runs the prompt, and leaves the first next-token logits in the state. */
  DecodeState prefill(NDArray pixels, NDArray promptIds, NDArray promptValid, boolean useCache);

  /** Longest text sequence (prompt + generated) the model can take. */
  int maxTextLength();
}
