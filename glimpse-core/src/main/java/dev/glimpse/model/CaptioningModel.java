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

  /**
   * Training forward over rows that hold several texts about their image (packed texts): each text
   * has its own positions and sees only itself and the image.
   *
   * @param pixels [B, 3, H, W] or [B, F, 3, H, W]
   * @param ids [B, T] int64 input ids
   * @param positions [B, T] int64 position of each token within its text
   * @param textMask [B, T, T] 1 where a text token may attend to a text token
   * @return logits for the next token at each text position, [B, T, V]
   * @throws UnsupportedOperationException for a model that does not take packed texts
   */
  default NDArray forwardPacked(NDArray pixels, NDArray ids, NDArray positions, NDArray textMask) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not train on packed texts");
  }

  /** Whether {@link #forwardPacked} is implemented. */
  default boolean takesPackedTexts() {
    return false;
  }

  /** Encodes the visual input, runs the prompt, and leaves the first next-token logits in the state. */
  DecodeState prefill(NDArray pixels, NDArray promptIds, NDArray promptValid, boolean useCache);

  /**
   * Whether {@link #imageAttention} is implemented: models whose text attends to the image tokens in
   * one stack (GIT) can say where each token looked; others return false.
   */
  default boolean attendsToImageTokens() {
    return false;
  }

  /**
   * Teacher-forced pass over one image and a text, recording the last layer's attention from every
   * text position to the image's patches (see {@link ImageAttention}).
   *
   * @param pixels [1, 3, H, W]
   * @param ids [1, T] int64 text ids (BOS first)
   * @throws UnsupportedOperationException unless {@link #attendsToImageTokens}
   */
  default ImageAttention imageAttention(NDArray pixels, NDArray ids) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not expose attention over image tokens");
  }

  /** Longest text sequence (prompt + generated) the model can take. */
  int maxTextLength();

  /**
   * Whether this model was trained to write text (false for a design that could but was not: MM-GEM's
   * CLIP-only ablation).
   */
  default boolean writesText() {
    return true;
  }
}
