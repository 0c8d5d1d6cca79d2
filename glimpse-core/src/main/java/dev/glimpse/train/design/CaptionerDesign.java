package dev.glimpse.train.design;

import dev.glimpse.data.LmBatcher;
import dev.glimpse.model.CaptioningModel;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.train.LmObjective;
import dev.glimpse.train.TrainableDesign;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import dev.glimpse.util.GlimpseException;
import java.util.function.BiFunction;

/**
 * A design whose model reads images and writes text, trained by teacher-forced language modelling on
 * the targets of each example ({@link LmBatcher} batches, {@link LmObjective}); texts about one image
 * packed in one row when the model takes them ({@link CaptioningModel#takesPackedTexts}).
 */
public abstract class CaptionerDesign<C extends ModelConfig> implements TrainableDesign {
  private final String type;
  private final Class<C> configClass;
  private final BiFunction<ParameterStore.Scope, C, CaptioningModel> builder;

  protected CaptionerDesign(String type, Class<C> configClass,
      BiFunction<ParameterStore.Scope, C, CaptioningModel> builder) {
    this.type = type;
    this.configClass = configClass;
    this.builder = builder;
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final Class<C> configClass() {
    return configClass;
  }

  @Override
  public final CaptioningModel build(ParameterStore.Scope scope, ModelConfig config) {
    return builder.apply(scope, configClass.cast(config));
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    return lmTraining((CaptioningModel) model, setup);
  }

  /** Padded rows of {@code [BOS] prompt target [EOS]} (packed texts when asked) and the LM loss. */
  static Training<?> lmTraining(CaptioningModel model, TrainingSetup setup) {
    LmBatcher batcher = lmBatcher(setup);
    if (setup.packTexts()) {
      if (!model.takesPackedTexts()) {
        throw new GlimpseException("data.packTexts: the " + setup.config().modelType()
            + " model does not train on packed texts (GIT does); set it to false");
      }
      batcher = batcher.packingTexts();
    }
    return new Training<>(batcher, new LmObjective(model, setup.train().labelSmoothing()));
  }

  /** The run's LM batcher: its tokenizer, image preprocessing, text length, frames and target choice. */
  static LmBatcher lmBatcher(TrainingSetup setup) {
    return new LmBatcher(setup.tokenizer(), setup.transform(), setup.train().maxTextTokens(), setup.config().frames(),
        setup.firstTargetProbability());
  }
}
