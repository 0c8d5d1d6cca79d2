package dev.glimpse.model;

import java.util.List;
import java.util.Map;

/**
 * A design whose model is assembled in part from other checkpoints' models: a text-to-image model's
 * text encoder from a CLIP checkpoint, VLV's decoder from a diffusion checkpoint. A run names them with
 * {@code glimpse train --part NAME=DIR}; each part brings its config, its weights (by parameter-name
 * prefix) and, for a part that reads text, the checkpoint's tokenizer.
 */
public interface TakesParts {
  /**
   * A part a model can take.
   *
   * @param name what {@code --part NAME=DIR} names it, e.g. {@code "text-encoder"}
   * @param description what checkpoint it comes from, for help and errors
   * @param required the model cannot be trained without it (an untrained frozen decoder teaches nothing)
   */
  record Slot(String name, String description, boolean required) {}

  /**
   * A part as taken from a checkpoint.
   *
   * @param config the model's config with the part's config in place
   * @param prefixes parameter-name prefix in the checkpoint -> prefix in the model (e.g.
   *     {@code "text." -> "text_encoder.text."}); every parameter of the model under a target prefix is
   *     loaded from the checkpoint
   * @param tokenizer the run takes the checkpoint's tokenizer (the part reads text with it)
   * @param decoderTokenizer the run keeps the checkpoint's image-decoder tokenizer as its decoder's own
   *     (the part is an image decoder whose tokenizer is not the run's; {@link
   *     GeneratesImages#decoderHasOwnTokenizer})
   */
  record Part(ModelConfig config, Map<String, String> prefixes, boolean tokenizer, boolean decoderTokenizer) {
    /** A part that brings no image decoder of its own tokenizer. */
    public Part(ModelConfig config, Map<String, String> prefixes, boolean tokenizer) {
      this(config, prefixes, tokenizer, false);
    }
  }

  /**
   * The name of the part that is the model's language model, for a design that takes it as a part
   * (VLV's caption decoder): {@code --language-model}, which starts a connector model's, is refused for
   * such a model in favour of {@code --part language-model=DIR}.
   */
  String LANGUAGE_MODEL = "language-model";

  /** The parts a model of this config can take. */
  List<Slot> parts(ModelConfig config);

  /**
   * How part {@code name} of a model of config {@code into} comes from a checkpoint whose model has
   * config {@code from}.
   *
   * @throws dev.glimpse.util.GlimpseException when that checkpoint's model has no such part
   */
  Part part(String name, ModelConfig into, ModelConfig from);
}
