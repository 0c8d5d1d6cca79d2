package dev.glimpse.train;

import dev.glimpse.model.ModelDesign;
import dev.glimpse.model.Models;
import dev.glimpse.util.GlimpseException;

/**
 * A model design that says how it trains: the batches a run feeds it and the objective it learns.
 * The training run ({@code dev.glimpse.recipes.TrainRun}) asks the design of the recipe's model type
 * and never names a concrete model; a new design is one class and one line in {@code
 * META-INF/services/dev.glimpse.model.ModelDesign}.
 */
public interface TrainableDesign extends ModelDesign {
  /**
   * The batcher and objective that train {@code model} (built by {@link #build} from {@code
   * setup.config()}) in a run set up as {@code setup}.
   *
   * @throws dev.glimpse.util.GlimpseException when the run's settings do not suit the design
   */
  Training<?> training(Object model, TrainingSetup setup);

  /** The trainable design of a model type; a design that cannot be trained is a user error. */
  static TrainableDesign of(String type) {
    ModelDesign design = Models.design(type);
    if (design instanceof TrainableDesign trainable) {
      return trainable;
    }
    throw new GlimpseException("model type '" + type + "' cannot be trained by this version of Glimpse (it can be "
        + "loaded and run)");
  }
}
