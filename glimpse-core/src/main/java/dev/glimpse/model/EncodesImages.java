package dev.glimpse.model;

import ai.djl.ndarray.NDArray;

/**
 * A model that reads an image into the condition its own image decoder takes (VLV: the caption
 * embedding z through the frozen text encoder), so that an image can be reconstructed through it
 * ({@code glimpse generate --from-image}).
 */
public interface EncodesImages extends GeneratesImages {
  /** pixels [B, 3, H, W] (the model's image preprocessing) -> the decoder's condition. */
  Condition condition(NDArray pixels);
}
