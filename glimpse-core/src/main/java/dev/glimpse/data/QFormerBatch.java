package dev.glimpse.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Images and their captions for BLIP-2's first stage: the captions as {@code [BOS] caption [EOS]}
 * (the Q-Former puts its [CLS] or [DEC] in place of BOS), right-padded.
 *
 * @param pixels normalised pixels [B, 3, H, W]
 * @param textIds [B, T]
 * @param valid [B, T] 1 for real tokens
 * @param textKeys one key per caption, equal for equal captions (no negative pair has equal keys)
 */
public record QFormerBatch(long[] pixelShape, float[] pixels, int batchSize, int length, long[] textIds,
    float[] valid, long[] textKeys) {

  /** The batch as tensors: pixels, ids (int64) and validity (float32). */
  public Tensors toTensors(NDManager manager) {
    Shape text = new Shape(batchSize, length);
    return new Tensors(manager.create(pixels, new Shape(pixelShape)), manager.create(textIds, text),
        manager.create(valid, text));
  }

  public record Tensors(NDArray pixels, NDArray textIds, NDArray valid) {}
}
