package dev.glimpse.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A language-modelling batch on the Java heap (built on a loader thread), for every task cast as
 * "image(s) + optional prompt -> text": captions, VQA (loss on the answer only), video, OCR,
 * generative classification.
 *
 * @param pixelShape [B, 3, H, W] or [B, F, 3, H, W]
 * @param pixels normalised pixels, row-major in {@code pixelShape}
 * @param inputIds [B, T] BOS + prompt + target (without the last token), right-padded
 * @param targetIds [B, T] the next token at each position
 * @param lossWeights [B, T] 1 where the next token is part of the target (or its EOS)
 * @param valid [B, T] 1 for real input tokens, 0 for padding
 * @param ids the examples' ids, for logs
 */
public record LmBatch(
    long[] pixelShape, float[] pixels, int batchSize, int length, long[] inputIds, long[] targetIds,
    float[] lossWeights, float[] valid, String[] ids) {

  /** Number of target tokens the loss counts. */
  public int targetTokens() {
    int n = 0;
    for (float w : lossWeights) {
      n += w > 0 ? 1 : 0;
    }
    return n;
  }

  /** Copies the batch into tensors owned by {@code manager}. */
  public Tensors toTensors(NDManager manager) {
    Shape text = new Shape(batchSize, length);
    return new Tensors(
        manager.create(pixels, new Shape(pixelShape)),
        manager.create(inputIds, text),
        manager.create(targetIds, text),
        manager.create(lossWeights, text),
        manager.create(valid, text));
  }

  /** The batch as tensors: pixels [B, (F,) 3, H, W], ids/targets int64 [B, T], weights/valid float [B, T]. */
  public record Tensors(NDArray pixels, NDArray inputIds, NDArray targetIds, NDArray lossWeights, NDArray valid) {}
}
