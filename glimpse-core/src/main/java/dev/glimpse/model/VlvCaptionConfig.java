package dev.glimpse.model;

/**
 * VLV's caption decoder (stage 2): an MLP from the frozen CLIP text encoder's context vectors to the
 * language model's width, and a decoder-only language model of the {@code lm} design ({@link
 * LanguageModel}, e.g. {@code lm-quick}'s LLaMA-style model) that reads them as a prefix of its
 * caption. The language model comes pre-trained, with its tokenizer, from a checkpoint ({@code glimpse
 * train --part language-model=DIR}); the recipe's config is a placeholder it replaces.
 *
 * @param languageModel the language model's config (its vocabulary is the run's tokenizer's)
 */
public record VlvCaptionConfig(LanguageModelConfig languageModel) {
  public VlvCaptionConfig {
    if (languageModel == null) {
      throw new IllegalArgumentException("the caption decoder needs a languageModel config (an 'lm' model; the "
          + "GIT-style caption decoder of earlier VLV checkpoints is no longer supported: train stage 2 again with "
          + "--part language-model=DIR)");
    }
  }
}
