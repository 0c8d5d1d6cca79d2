package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import dev.glimpse.data.ImageViews;

/**
 * A captioning model that reads several images in one sequence, each where an image placeholder
 * stands in its prompt (LLaVA and BLIP-2 put each image's tokens there; Flamingo's text attends to the
 * image just before it): what interleaved conversations and few-shot prompting need. A pixel tensor
 * [B, M, 3, H, W] given to {@link CaptioningModel#prefill} gives every row its M images.
 */
public interface TakesImageSequences extends CaptioningModel {
  /** How one image becomes the model's views and how many tokens it takes (one view by default). */
  ImageViews imageViews();

  /**
   * Teacher-forced scores of rows with different numbers of images.
   *
   * @param images every row's images in order, each as its views
   * @param ids [B, T] int64, each image's placeholder expanded to its tokens as {@link #imageViews} says
   * @param valid [B, T]
   * @return [B, T, V]
   */
  NDArray forwardSequence(ImageSequence images, NDArray ids, NDArray valid);

  /**
   * Visual tokens the language model reads for one image, as a comparison of connectors counts them:
   * by default the tokens the image takes in the text ({@link ImageViews.Viewed#tokens}); a design that
   * reads images another way says so (Flamingo: its resampler's latents, read through cross-attention,
   * while the text holds one marker token).
   */
  default int visualTokens(ImageViews.Viewed viewed) {
    return viewed.tokens();
  }

  /** The image placeholder's id: generation never writes it (it would stand for an image that is not there). */
  int imageTokenId();

  /** Whether the frames of a clip are one video (Flamingo with time embeddings) rather than several images. */
  default boolean readsVideo() {
    return false;
  }

  /** Runs prompts about {@code images} (placeholders expanded, or one per image to expand) for generation. */
  DecodeState prefillSequence(ImageSequence images, NDArray promptIds, NDArray promptValid, boolean useCache);
}
