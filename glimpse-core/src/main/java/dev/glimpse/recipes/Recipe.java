package dev.glimpse.recipes;

import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.TrainConfig;

/**
 * A named, runnable experiment: model, data, tokenizer, optimisation and evaluation in one record.
 *
 * @param name the name {@code train --recipe} takes
 * @param description what it trains, how long it takes, what result to expect
 * @param task "captions" (others arrive with their tasks)
 */
public record Recipe(
    String name,
    String description,
    String task,
    ModelConfig model,
    TrainConfig train,
    DataConfig data,
    TokenizerConfig tokenizer,
    EvalConfig eval) {

  public Recipe {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("recipe name is required");
    }
    if (model == null || train == null || data == null || tokenizer == null || eval == null) {
      throw new IllegalArgumentException("recipe " + name + " needs model, train, data, tokenizer and eval");
    }
  }

  public Recipe withTrain(TrainConfig t) {
    return new Recipe(name, description, task, model, t, data, tokenizer, eval);
  }

  public Recipe withModel(ModelConfig m) {
    return new Recipe(name, description, task, m, train, data, tokenizer, eval);
  }

  public Recipe withEval(EvalConfig e) {
    return new Recipe(name, description, task, model, train, data, tokenizer, e);
  }

  public Recipe withData(DataConfig d) {
    return new Recipe(name, description, task, model, train, d, tokenizer, eval);
  }
}
