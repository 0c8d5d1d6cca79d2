package dev.glimpse.model;

/**
 * A design that joins a vision tower to a language model through a connector (LLaVA's projector,
 * BLIP-2's Q-Former, Flamingo's resampler and gated cross-attention): the three parts its config
 * names can be swapped for pre-trained ones ({@code glimpse train --vision-tower DIR --language-model
 * DIR}), which replace the recipe's tower and language model and bring their weights.
 */
public interface ConnectorConfig extends ModelConfig {
  /** The vision tower this config names. */
  VisionTower.Spec tower();

  /**
   * The same model with another vision tower (a ViT of a GIT, CLIP or HuggingFace CLIP checkpoint, or
   * a GenLIP encoder); the connector's input width follows the tower's.
   */
  ConnectorConfig withVisionTower(VisionTower.Spec tower);

  /** The same model reading the tower's hidden state {@code layer} (HF convention; see {@link VisionTower}). */
  ConnectorConfig withVisionLayer(int layer);

  /** The language model part. */
  LanguageModelConfig languageModel();

  /**
   * The same model with another language model, whose tokenizer writes the image placeholder as
   * {@code imageTokenId}; the connector's output width follows the model's.
   */
  ConnectorConfig withLanguageModel(LanguageModelConfig languageModel, int imageTokenId);

  /** The id of the image placeholder token. */
  int imageTokenId();

  /** Visual tokens one image becomes in the language model's input (Flamingo: the resampler's latents). */
  int imageTokens();
}
