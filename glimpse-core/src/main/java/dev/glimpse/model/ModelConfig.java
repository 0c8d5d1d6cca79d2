package dev.glimpse.model;

/** A model design's configuration record; {@link Models} maps its type name to the record and builder. */
public interface ModelConfig {
  /** The registered type name, e.g. "git". */
  String modelType();

  /** Ids the token embedding holds. */
  int vocabSize();

  /** The same config for a tokenizer with {@code n} ids. */
  ModelConfig withVocabSize(int n);

  /** Input image height and width the model is trained at. */
  int imageSize();

  /** Video frames per example (1 for images). */
  default int frames() {
    return 1;
  }

  /** Longest text sequence. */
  int maxTextLength();

  /**
   * The config a run trains under when it starts from this model's weights ({@code train --init}) with
   * a recipe whose model is {@code recipeModel}: by default this model's own. GenLIP stage 2 keeps the
   * architecture and takes the recipe's native-resolution settings.
   */
  default ModelConfig continuedUnder(ModelConfig recipeModel) {
    return this;
  }
}
