package dev.glimpse.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A language-modelling batch of text alone (a language model's training text), on the Java heap.
 *
 * @param inputIds [B, T] BOS + text (without its last token), right-padded
 * @param targetIds [B, T] the next token at each position
 * @param lossWeights [B, T] 1 where the next token is learned
 * @param valid [B, T] 1 for real input tokens
 * @param ids the examples' ids
 */
public record TextBatch(int batchSize, int length, long[] inputIds, long[] targetIds, float[] lossWeights,
    float[] valid, String[] ids) {

  /** Number of learned target tokens. */
  public int targetTokens() {
    int n = 0;
    for (float w : lossWeights) {
      n += w > 0 ? 1 : 0;
    }
    return n;
  }

  /** The batch as tensors owned by {@code manager}. */
  public Tensors toTensors(NDManager manager) {
    Shape shape = new Shape(batchSize, length);
    return new Tensors(manager.create(inputIds, shape), manager.create(targetIds, shape),
        manager.create(lossWeights, shape), manager.create(valid, shape));
  }

  /** Ids and targets int64 [B, T], weights and validity float32 [B, T]. */
  public record Tensors(NDArray inputIds, NDArray targetIds, NDArray lossWeights, NDArray valid) {}
}
