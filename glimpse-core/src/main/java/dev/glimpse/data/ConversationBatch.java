package dev.glimpse.data;

import ai.djl.ndarray.NDManager;
import dev.glimpse.connect.AnyRes;

/**
 * A batch of conversations about images (a connector model's training batch): the text as an {@link
 * LmBatch} whose pixels are every view of every image, rows in order ([V, 3, H, W], no padding), how
 * many images each row has and each image's AnyRes layout (null for one view).
 *
 * @param text ids, targets, loss weights (replies only) and validity; pixels [V, 3, H, W]
 * @param imagesPerRow real images per row; row b's placeholders, in order, are theirs
 * @param layouts per image (rows in order), its AnyRes layout or null
 */
public record ConversationBatch(LmBatch text, int[] imagesPerRow, AnyRes.Layout[] layouts) {
  public ConversationBatch {
    if (imagesPerRow.length != text.batchSize()) {
      throw new IllegalArgumentException("one image count per row: " + imagesPerRow.length + " for "
          + text.batchSize() + " rows");
    }
  }

  /** The tensors of the batch ({@link LmBatch#toTensors}). */
  public LmBatch.Tensors toTensors(NDManager manager) {
    return text.toTensors(manager);
  }
}
