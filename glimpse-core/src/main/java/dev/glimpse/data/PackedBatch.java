package dev.glimpse.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Variable-length [visual patches ; text] sequences packed into rows (GenLIP native resolution):
 * each row holds one or more whole sequences back to back, then padding; a block-diagonal mask keeps
 * sequences apart and positions restart in every sequence, so a packed sequence computes exactly
 * what it would alone. All arrays are row-major over [rows, length].
 *
 * @param patchDim floats per patch (3 * p * p)
 * @param patches [R, L, patchDim]: a patch at visual positions, zeros elsewhere
 * @param inputIds [R, L] text input ids (padding id at visual and padding positions)
 * @param targetIds [R, L] next token at text positions
 * @param lossWeights [R, L] 1 where the next token is part of a target
 * @param visual [R, L] 1 at visual positions
 * @param rowPositions [R, L] 2D rotary row of each token (patch row; text: start + index)
 * @param columnPositions [R, L] 2D rotary column (patch column; text: start + index)
 * @param mask [R, 1, L, L] additive attention mask (prefix-LM within each sequence, block-diagonal across)
 * @param sequences number of packed sequences (examples)
 * @param realTokens tokens that are not padding
 * @param placements per sequence (input order): its row and its first column
 */
public record PackedBatch(int rows, int length, int patchDim, float[] patches, long[] inputIds, long[] targetIds,
    float[] lossWeights, float[] visual, long[] rowPositions, long[] columnPositions, float[] mask, int sequences,
    long realTokens, int[] placements) {

  /** Row of sequence {@code i} (in the order given to the packer). */
  public int rowOf(int i) {
    return placements[2 * i];
  }

  /** Column where sequence {@code i} starts in its row. */
  public int offsetOf(int i) {
    return placements[2 * i + 1];
  }

  /** Number of target tokens the loss counts. */
  public int targetTokens() {
    int n = 0;
    for (float w : lossWeights) {
      n += w > 0 ? 1 : 0;
    }
    return n;
  }

  /** All positions, padding included: what the forward pass computes. */
  public long computedTokens() {
    return (long) rows * length;
  }

  public Tensors toTensors(NDManager manager) {
    Shape rl = new Shape(rows, length);
    return new Tensors(
        manager.create(patches, new Shape(rows, length, patchDim)),
        manager.create(inputIds, rl),
        manager.create(targetIds, rl),
        manager.create(lossWeights, rl),
        manager.create(visual, new Shape(rows, length, 1)),
        manager.create(mask, new Shape(rows, 1, length, length)));
  }

  /** The batch as tensors (positions stay on the heap: rotary tables are built from them). */
  public record Tensors(NDArray patches, NDArray inputIds, NDArray targetIds, NDArray lossWeights, NDArray visual,
      NDArray mask) {}
}
