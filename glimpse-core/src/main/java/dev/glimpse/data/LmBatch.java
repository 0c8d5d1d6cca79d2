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
 * @param positions [B, T] text position of each input token, or null for 0..T-1 in every row; rows
 *     that hold several texts ({@link LmBatcher} with packed texts) start each text at 0
 * @param textMask [B, T, T] 1 where a text token (query) may attend to a text token (key), or null
 *     for causal attention over the whole row; with packed texts, causal within each text only
 */
public record LmBatch(
    long[] pixelShape, float[] pixels, int batchSize, int length, long[] inputIds, long[] targetIds,
    float[] lossWeights, float[] valid, String[] ids, long[] positions, float[] textMask) {

  public LmBatch {
    long cells = (long) batchSize * length;
    if (positions != null && positions.length != cells) {
      throw new IllegalArgumentException("positions must hold B*T = " + cells + " values, got " + positions.length);
    }
    if (textMask != null && textMask.length != cells * length) {
      throw new IllegalArgumentException("textMask must hold B*T*T = " + cells * length + " values, got "
          + textMask.length);
    }
  }

  /** A batch with one text per row (positions 0..T-1, causal text attention). */
  public LmBatch(long[] pixelShape, float[] pixels, int batchSize, int length, long[] inputIds, long[] targetIds,
      float[] lossWeights, float[] valid, String[] ids) {
    this(pixelShape, pixels, batchSize, length, inputIds, targetIds, lossWeights, valid, ids, null, null);
  }

  /** Whether rows hold several texts, each with its own positions and attention ({@link #textMask}). */
  public boolean packed() {
    return textMask != null;
  }

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
        manager.create(valid, text),
        positions == null ? null : manager.create(positions, text),
        textMask == null ? null : manager.create(textMask, new Shape(batchSize, length, length)));
  }

  /**
   * The batch as tensors: pixels [B, (F,) 3, H, W], ids/targets int64 [B, T], weights/valid float [B, T];
   * for packed rows also positions int64 [B, T] and the text mask float [B, T, T] (null otherwise).
   */
  public record Tensors(NDArray pixels, NDArray inputIds, NDArray targetIds, NDArray lossWeights, NDArray valid,
      NDArray positions, NDArray textMask) {}
}
