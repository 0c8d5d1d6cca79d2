package dev.glimpse.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.glimpse.nn.Scalars;

/**
 * Next-token cross-entropy with label smoothing and a per-token weight mask (0 for padding and for
 * prompt tokens such as a VQA question, so only the answer is learned). As PyTorch's
 * {@code CrossEntropyLoss(label_smoothing=e)}: {@code (1 - e) * nll + e * mean_v(-log p_v)}.
 */
public final class LmLoss {
  private final float labelSmoothing;

  public LmLoss(double labelSmoothing) {
    if (labelSmoothing < 0 || labelSmoothing >= 1) {
      throw new IllegalArgumentException("labelSmoothing must be in [0, 1), got " + labelSmoothing);
    }
    this.labelSmoothing = (float) labelSmoothing;
  }

  /**
   * @param logits [B, T, V]
   * @param targets [B, T] int64 next-token ids
   * @param weights [B, T] float32 (1 = counted)
   * @return scalar mean loss over weighted tokens
   */
  public NDArray forward(NDArray logits, NDArray targets, NDArray weights) {
    NDArray logProbs = logits.logSoftmax(-1);                                     // [B, T, V]
    NDArray nll = logProbs.gather(targets.toType(DataType.INT64, false).expandDims(-1), -1)
        .squeeze(-1).neg();                                                       // [B, T]
    NDArray perToken = labelSmoothing == 0
        ? nll
        : Scalars.mul(nll, 1 - labelSmoothing).add(Scalars.mul(logProbs.mean(new int[] {-1}).neg(), labelSmoothing));
    NDArray w = weights.toType(DataType.FLOAT32, false);
    return perToken.mul(w).sum().div(w.sum().maximum(Scalars.constant(w, 1)));
  }

  public double labelSmoothing() {
    return labelSmoothing;
  }
}
