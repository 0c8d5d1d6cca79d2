package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import dev.glimpse.data.NativeImage;
import dev.glimpse.data.NativeResolution;
import java.util.List;

/**
 * A captioning model that can read images at their native aspect ratio, each with its own patch grid
 * (GenLIP stage 2). {@link dev.glimpse.generate.Captioner} cuts images with {@link #nativeResolution}
 * and prefills with {@link #prefillNative} instead of resizing them all to one square.
 */
public interface NativeResolutionModel extends CaptioningModel {
  /** How images are cut at evaluation, or null when the model runs at a fixed resolution. */
  NativeResolution nativeResolution();

  /** Like {@link #prefill}, with one native-resolution image per row. */
  DecodeState prefillNative(List<NativeImage> images, NDArray promptIds, NDArray promptValid, boolean useCache);
}
