package dev.glimpse.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A diffusion training batch on the Java heap (built on a loader thread): clean images, the timestep
 * and the Gaussian noise of each, drawn from the batch's seeded stream so that a resumed run sees the
 * same noise, and, for a text-conditioned model, the prompts as text-encoder input.
 *
 * @param size B
 * @param pixelShape [B, C, H, W]
 * @param pixels clean images in the model's range ([-1, 1]), row-major
 * @param timesteps t per image
 * @param noise eps, same layout as {@code pixels}
 * @param ids [B, S] {@code [BOS] caption [EOS]} right-padded, or null for images alone (VLV stage 1)
 * @param valid [B, S] 1 for real ids, or null with {@code ids}
 * @param textLength S (0 without text)
 */
public record DenoisingBatch(int size, long[] pixelShape, float[] pixels, int[] timesteps, float[] noise, long[] ids,
    float[] valid, int textLength) {
  public DenoisingBatch {
    if (pixels.length != noise.length || timesteps.length != size) {
      throw new IllegalArgumentException("a denoising batch needs one noise value per pixel and one timestep per image");
    }
    if ((ids == null) != (valid == null)) {
      throw new IllegalArgumentException("ids and valid come together");
    }
  }

  /** Whether the batch holds prompts. */
  public boolean hasText() {
    return ids != null;
  }

  /** The batch as tensors in {@code manager}. */
  public Tensors toTensors(NDManager manager) {
    Shape shape = new Shape(pixelShape);
    NDArray idArray = ids == null ? null : manager.create(ids, new Shape(size, textLength));
    NDArray validArray = valid == null ? null : manager.create(valid, new Shape(size, textLength));
    return new Tensors(manager.create(pixels, shape), manager.create(noise, shape), idArray, validArray);
  }

  /** Tensors of a batch: images and noise [B, C, H, W]; ids (int64) and valid [B, S] or null. */
  public record Tensors(NDArray pixels, NDArray noise, NDArray ids, NDArray valid) {
    public Tensors {
      if (ids != null && ids.getDataType() != DataType.INT64) {
        ids = ids.toType(DataType.INT64, false);
      }
    }
  }
}
