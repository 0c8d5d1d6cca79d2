package dev.glimpse.recipes;

import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.TrainConfig;

/**
 * A named, runnable experiment: model, data, tokenizer, optimisation and evaluation in one record.
 *
 * @param name the name {@code train --recipe} takes
 * @param description what it trains, how long it takes, what result to expect
 * @param task "captions" (others arrive with their tasks)
 * @param after the recipe this one continues (its first stage: LLaVA's alignment before instruction
 *     tuning, BLIP-2's representation learning before generative learning), or null. Unless the run
 *     starts from a model ({@code --init}), {@code train} first runs that recipe into the run folder's
 *     subfolder of its name, with the same vision tower and language model, then starts this one from
 *     its checkpoint
 */
public record Recipe(
    String name,
    String description,
    String task,
    ModelConfig model,
    TrainConfig train,
    DataConfig data,
    TokenizerConfig tokenizer,
    EvalConfig eval,
    String after) {

  public Recipe {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("recipe name is required");
    }
    if (model == null || train == null || data == null || tokenizer == null || eval == null) {
      throw new IllegalArgumentException("recipe " + name + " needs model, train, data, tokenizer and eval");
    }
    if (name.equals(after)) {
      throw new IllegalArgumentException("recipe " + name + " cannot come after itself");
    }
  }

  /** A one-stage recipe. */
  public Recipe(String name, String description, String task, ModelConfig model, TrainConfig train, DataConfig data,
      TokenizerConfig tokenizer, EvalConfig eval) {
    this(name, description, task, model, train, data, tokenizer, eval, null);
  }

  public Recipe withTrain(TrainConfig t) {
    return new Recipe(name, description, task, model, t, data, tokenizer, eval, after);
  }

  public Recipe withModel(ModelConfig m) {
    return new Recipe(name, description, task, m, train, data, tokenizer, eval, after);
  }

  public Recipe withEval(EvalConfig e) {
    return new Recipe(name, description, task, model, train, data, tokenizer, e);
  }

  public Recipe withData(DataConfig d) {
    return new Recipe(name, description, task, model, train, d, tokenizer, eval, after);
  }

  public Recipe withTokenizer(TokenizerConfig t) {
    return new Recipe(name, description, task, model, train, data, t, eval, after);
  }

  /** This recipe continuing the recipe {@code first} (see {@link #after}). */
  public Recipe after(String first) {
    return new Recipe(name, description, task, model, train, data, tokenizer, eval, first);
  }

  /** This recipe on its own (a run that starts from a model, or the stage a chain is at). */
  public Recipe alone() {
    return new Recipe(name, description, task, model, train, data, tokenizer, eval, null);
  }
}
