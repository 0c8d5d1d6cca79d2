package dev.glimpse.model;

/**
 * A model that generates images from text: a diffusion model, or a model that holds one as its
 * decoder (VLV). {@code glimpse generate} and the text-to-image evaluation take any of them.
 */
public interface GeneratesImages {
  /** The text-to-image diffusion model. */
  DiffusionModel imageDecoder();

  /**
   * Whether the image decoder reads prompts with a tokenizer of its own, other than the model's (a VLV
   * whose captions are written by a language model with its own vocabulary): checkpoints then carry it
   * beside the model's ({@code decoder_tokenizer.json}), and prompts go through it.
   */
  default boolean decoderHasOwnTokenizer() {
    return false;
  }
}
