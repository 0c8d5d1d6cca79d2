package dev.glimpse.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Images paired with texts, on the Java heap (built on a loader thread), for models that embed and
 * may also caption (CLIP, MM-GEM): each image's text as the model embeds it, and the same text as a
 * caption to learn. Parts a model does not use are null.
 *
 * @param pixelShape [B, 3, H, W]
 * @param pixels normalised pixels, row-major in {@code pixelShape}
 * @param size B
 * @param textLength T_e, the longest embedding row
 * @param textIds [B, T_e] each text as the model embeds it ({@code Embedder#textIds}), right-padded; or null
 * @param textValid [B, T_e] 1 for real ids; or null
 * @param captionLength T_c, the longest caption row
 * @param captionIds [B, T_c] {@code [BOS] caption} inputs, right-padded; or null
 * @param captionTargets [B, T_c] the next token of each input
 * @param captionWeights [B, T_c] 1 where the next token is learned
 * @param captionValid [B, T_c] 1 for real inputs
 * @param boxes [B, 4] the region of each image the text describes (x1, y1, x2, y2 in input pixels),
 *     or null when every text describes its whole image
 * @param ids the examples' ids
 */
public record PairBatch(long[] pixelShape, float[] pixels, int size, int textLength, long[] textIds,
    float[] textValid, int captionLength, long[] captionIds, long[] captionTargets, float[] captionWeights,
    float[] captionValid, float[] boxes, String[] ids) {

  public boolean hasTexts() {
    return textIds != null;
  }

  public boolean hasCaptions() {
    return captionIds != null;
  }

  /** Examples {@code [from, to)} as a batch of their own (gradient caching embeds a batch in chunks). */
  public PairBatch slice(int from, int to) {
    if (from < 0 || to > size || from >= to) {
      throw new IllegalArgumentException("slice [" + from + ", " + to + ") of a batch of " + size);
    }
    int perImage = pixels.length / size;
    long[] shape = pixelShape.clone();
    shape[0] = to - from;
    return new PairBatch(shape, Arrays.copyOfRange(pixels, from * perImage, to * perImage), to - from, textLength,
        rows(textIds, from, to, textLength), rows(textValid, from, to, textLength), captionLength,
        rows(captionIds, from, to, captionLength), rows(captionTargets, from, to, captionLength),
        rows(captionWeights, from, to, captionLength), rows(captionValid, from, to, captionLength),
        rows(boxes, from, to, 4), Arrays.copyOfRange(ids, from, to));
  }

  private static long[] rows(long[] values, int from, int to, int length) {
    return values == null ? null : Arrays.copyOfRange(values, from * length, to * length);
  }

  private static float[] rows(float[] values, int from, int to, int length) {
    return values == null ? null : Arrays.copyOfRange(values, from * length, to * length);
  }

  public NDArray pixels(NDManager manager) {
    return manager.create(pixels, new Shape(pixelShape));
  }

  public NDArray textIds(NDManager manager) {
    return manager.create(textIds, new Shape(size, textLength));
  }

  public NDArray textValid(NDManager manager) {
    return manager.create(textValid, new Shape(size, textLength));
  }

  public NDArray captionIds(NDManager manager) {
    return manager.create(captionIds, new Shape(size, captionLength));
  }

  public NDArray captionTargets(NDManager manager) {
    return manager.create(captionTargets, new Shape(size, captionLength));
  }

  public NDArray captionWeights(NDManager manager) {
    return manager.create(captionWeights, new Shape(size, captionLength));
  }

  public NDArray captionValid(NDManager manager) {
    return manager.create(captionValid, new Shape(size, captionLength));
  }

  /** Caption tokens the loss counts. */
  public int captionTokens() {
    int n = 0;
    if (captionWeights != null) {
      for (float w : captionWeights) {
        n += w > 0 ? 1 : 0;
      }
    }
    return n;
  }

  /** The boxes as RoIAlign takes them, {@code [image index, x1, y1, x2, y2]} per example; null without boxes. */
  public float[][] regions() {
    if (boxes == null) {
      return null;
    }
    float[][] out = new float[size][];
    for (int i = 0; i < size; i++) {
      out[i] = new float[] {i, boxes[i * 4], boxes[i * 4 + 1], boxes[i * 4 + 2], boxes[i * 4 + 3]};
    }
    return out;
  }
}
