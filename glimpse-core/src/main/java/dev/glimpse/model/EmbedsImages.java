package dev.glimpse.model;

import ai.djl.ndarray.NDArray;

/**
 * A model with an image encoder whose output can serve as image features: one vector per image. The
 * Fréchet distance of generated and real images is computed on them (Glimpse's own trained encoders,
 * not Inception).
 */
public interface EmbedsImages {
  /** pixels [B, 3, H, W] (the model's image preprocessing) -> [B, D]. */
  NDArray imageEmbedding(NDArray pixels);
}
