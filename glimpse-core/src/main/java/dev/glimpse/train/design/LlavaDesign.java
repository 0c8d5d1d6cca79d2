package dev.glimpse.train.design;

import dev.glimpse.data.ConversationBatcher;
import dev.glimpse.model.ConnectorConfig;
import dev.glimpse.model.HasVisionTower;
import dev.glimpse.model.LlavaConfig;
import dev.glimpse.model.LlavaModel;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.TakesImageSequences;
import dev.glimpse.model.VisionTower;
import dev.glimpse.train.ConversationObjective;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import dev.glimpse.util.GlimpseException;

/**
 * LLaVA: a vision tower, a projector and a language model, trained by language modelling on
 * conversations written by its chat template (captions alone in the alignment stage): both of its
 * stages are this one objective, the recipe's data and frozen parts tell them apart.
 */
public final class LlavaDesign extends CaptionerDesign<LlavaConfig> implements HasVisionTower {
  public LlavaDesign() {
    super(LlavaConfig.TYPE, LlavaConfig.class, LlavaModel::new);
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    return conversationTraining((TakesImageSequences) model, setup);
  }

  /**
   * Conversations ({@link ConversationBatcher}) and the LM loss on replies, each image seen and its
   * placeholder expanded as the model's {@link TakesImageSequences#imageViews} say; no other objective
   * is known.
   */
  static Training<?> conversationTraining(TakesImageSequences model, TrainingSetup setup) {
    if (setup.packTexts()) {
      throw new GlimpseException("data.packTexts: the " + setup.config().modelType() + " model trains on "
          + "conversations, one per row; set it to false");
    }
    String objective = setup.train().objective();
    if (objective != null && !objective.equals("generative")) {
      throw new GlimpseException("train.objective '" + objective + "': the " + setup.config().modelType()
          + " model trains by language modelling only ('generative' or unset)");
    }
    ConnectorConfig config = (ConnectorConfig) setup.config();
    ConversationBatcher batcher = new ConversationBatcher(setup.tokenizer(), setup.tokenizer().chatTemplate(),
        setup.transform(), setup.train().maxTextTokens(), model.imageViews(), config.imageTokenId(),
        setup.firstTargetProbability());
    return new Training<>(batcher, new ConversationObjective(model, setup.train().labelSmoothing()));
  }

  @Override
  public VisionTower.Source visionTower(ModelConfig config) {
    return new VisionTower.Source(((LlavaConfig) config).tower(), "vision.");
  }
}
