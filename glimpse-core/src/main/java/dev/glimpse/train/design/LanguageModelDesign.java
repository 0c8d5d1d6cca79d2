package dev.glimpse.train.design;

import dev.glimpse.data.Conversation;
import dev.glimpse.data.Example;
import dev.glimpse.data.TextBatch;
import dev.glimpse.data.TextBatcher;
import dev.glimpse.loss.LmLoss;
import dev.glimpse.model.LanguageModel;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.train.Objective;
import dev.glimpse.train.TrainableDesign;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import dev.glimpse.util.GlimpseException;

/**
 * A language model alone, trained by next-token prediction on text ({@link TextBatcher}: plain text and
 * conversations in the chat format their example names), every token learned; logged as {@code
 * loss_lm}. The connector recipes then load it through {@code --language-model}.
 */
public final class LanguageModelDesign implements TrainableDesign {
  @Override
  public String type() {
    return LanguageModelConfig.TYPE;
  }

  @Override
  public Class<LanguageModelConfig> configClass() {
    return LanguageModelConfig.class;
  }

  @Override
  public LanguageModel build(ParameterStore.Scope scope, ModelConfig config) {
    return new LanguageModel(scope, (LanguageModelConfig) config);
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    if (setup.packTexts()) {
      throw new GlimpseException("data.packTexts: a language model trains on one text per row; set it to false");
    }
    LanguageModel lm = (LanguageModel) model;
    ChatTemplate own = setup.tokenizer().chatTemplate();
    TextBatcher batcher = new TextBatcher(setup.tokenizer(), setup.train().maxTextTokens(),
        (Example ex) -> ex.get(Conversation.TEMPLATE) != null ? ex.get(Conversation.TEMPLATE)
            : own != null ? own : ChatTemplate.vicuna());
    LmLoss loss = new LmLoss(setup.train().labelSmoothing());
    Objective<TextBatch> objective = (batch, step) -> {
      TextBatch.Tensors t = batch.toTensors(step.manager());
      return Objective.Loss.named("loss_lm", loss.forward(lm.forward(t.inputIds(), t.valid()), t.targetIds(),
          t.lossWeights()), batch.targetTokens());
    };
    return new Training<>(batcher, objective);
  }
}
