package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.synth.Split;
import dev.glimpse.train.LoadedModel;
import java.io.PrintStream;
import java.nio.file.Path;

/** What a recipe's task adds to the shared training run: its data and its evaluation. */
public interface Task {
  /** {@code size} examples of a split of the configured data. */
  Dataset dataset(DataConfig data, Split split, int size);

  /** Training examples. */
  default Dataset trainData(Recipe recipe) {
    return dataset(recipe.data(), Split.TRAIN, recipe.data().trainSize());
  }

  /** Held-out examples for the final evaluation (size {@code data.testSize}). */
  default Dataset testData(Recipe recipe) {
    return dataset(recipe.data(), Split.TEST, recipe.data().testSize());
  }

  /**
   * Evaluates a model on held-out data, writes result files (official formats) into {@code outDir},
   * and returns the figures, including the task's headline key.
   */
  JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info);
}
