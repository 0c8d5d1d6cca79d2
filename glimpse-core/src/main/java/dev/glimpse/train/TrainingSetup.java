package dev.glimpse.train;

import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.tokenize.Tokenizer;

/**
 * What a design needs to set up its {@link Training}: the run's model config, tokenizer, image
 * preprocessing, optimisation settings and the data settings that shape batches.
 *
 * @param firstTargetProbability chance of training on an example's first (consensus) reference
 * @param packTexts train every text about an image in one row (designs that cannot refuse it)
 */
public record TrainingSetup(ModelConfig config, Tokenizer tokenizer, ImageTransform transform, TrainConfig train,
    double firstTargetProbability, boolean packTexts) {
  /** The same setup training the objective {@code name} (null: the design's default). */
  public TrainingSetup withObjective(String name) {
    return new TrainingSetup(config, tokenizer, transform, train.withObjective(name), firstTargetProbability,
        packTexts);
  }
}
