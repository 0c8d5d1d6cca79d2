package dev.glimpse.model;

import ai.djl.ndarray.NDArray;

/**
 * A model that reads regions of an image as well as whole images (MM-GEM: RoIAlign over a box):
 * region retrieval embeds each box, region captioning decodes from each box's features.
 *
 * <p>Boxes are {@code [image index, x1, y1, x2, y2]} in the pixels of the model's input (after the
 * image preprocessing; {@code ImageTransform#mapBox} converts from the original image).
 */
public interface RegionModel extends Embedder, StepModel {
  /** Unnormalised region embeddings, in the space of {@link #embedImages}: pixels [B, 3, H, W], boxes [R][5] -> [R, P]. */
  NDArray embedRegions(NDArray pixels, float[][] boxes);

  /**
   * Decoding state for captioning each box: one row per box, prompts [R, T] (BOS alone for a caption),
   * the logits of the first new token set.
   */
  DecodeState prefillRegions(NDArray pixels, float[][] boxes, NDArray promptIds, NDArray promptValid,
      boolean useCache);
}
