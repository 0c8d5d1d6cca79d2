package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;

/** Maps vision-encoder tokens into the text model's space: [B, N, D_vision] -> [B, N', D_text]. */
public interface Connector {
  NDArray forward(NDArray visualTokens);

  /** Output tokens for a given number of input tokens (the same for projectors, fixed for resamplers). */
  int outputTokens(int inputTokens);
}
