package dev.glimpse.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.glimpse.nn.Scalars;

/**
 * Symmetric InfoNCE over a batch of N matched image-text pairs, as CLIP trains (and MM-GEM's
 * {@code L_emb}): {@code logits = scale * image . text^T}, then the cross-entropy of each image against
 * all texts (its own is the target) and of each text against all images, averaged:
 * {@code (CE(logits, diag) + CE(logits^T, diag)) / 2}.
 */
public final class InfoNce {
  private InfoNce() {}

  /**
   * The loss and its two directions.
   *
   * @param loss the mean of the two directions
   * @param imageToText mean cross-entropy of image rows over the texts
   * @param textToImage mean cross-entropy of text rows over the images
   */
  public record Result(NDArray loss, NDArray imageToText, NDArray textToImage) {}

  /**
   * @param image [N, D] image embeddings, unit length ({@link #normalize})
   * @param text [N, D] text embeddings of the same pairs, unit length
   * @param logitScale scalar 1/temperature ({@link Temperature})
   */
  public static Result forward(NDArray image, NDArray text, NDArray logitScale) {
    long n = image.getShape().get(0);
    if (text.getShape().get(0) != n) {
      throw new IllegalArgumentException("InfoNCE needs as many texts as images, got " + image.getShape() + " and "
          + text.getShape());
    }
    NDArray logits = image.matMul(text.transpose()).mul(logitScale);                  // [N, N]
    NDArray diagonal = image.getManager().arange(n).toType(DataType.INT64, false).reshape(n, 1); // [N, 1]
    NDArray imageToText = logits.logSoftmax(1).gather(diagonal, 1).mean().neg();      // rows: images
    NDArray textToImage = logits.transpose().logSoftmax(1).gather(diagonal, 1).mean().neg();
    // a Number constant under autograd may be freed before the backward pass (nn/Scalars)
    return new Result(Scalars.mul(imageToText.add(textToImage), 0.5), imageToText, textToImage);
  }

  /**
   * The symmetric loss from the pair scores themselves ({@code logits[i][j]}: image i, text j, scaled),
   * for similarities that are not one dot product (BLIP-2's ITC takes the best of its queries).
   */
  public static Result fromLogits(NDArray logits) {
    long n = logits.getShape().get(0);
    NDArray diagonal = logits.getManager().arange(n).toType(DataType.INT64, false).reshape(n, 1); // [N, 1]
    NDArray imageToText = logits.logSoftmax(1).gather(diagonal, 1).mean().neg();
    NDArray textToImage = logits.transpose().logSoftmax(1).gather(diagonal, 1).mean().neg();
    return new Result(Scalars.div(imageToText.add(textToImage), 2), imageToText, textToImage);
  }

  /** Rows scaled to unit L2 length: {@code x / max(||x||, 1e-12)}, as {@code torch.nn.functional.normalize}. */
  public static NDArray normalize(NDArray x) {
    return x.div(Scalars.maximum(x.square().sum(new int[] {-1}, true).sqrt(), 1e-12));
  }
}
