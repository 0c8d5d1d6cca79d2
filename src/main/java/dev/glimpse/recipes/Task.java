package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.train.LoadedModel;
import java.io.PrintStream;
import java.nio.file.Path;

/** What a recipe's task adds to the shared training run: its data and its evaluation. */
public interface Task {
  /** Training examples. */
  Dataset trainData(Recipe recipe);

  /** Held-out examples for the final evaluation (size {@code data.testSize}). */
  Dataset testData(Recipe recipe);

  /**
   * Evaluates a model on held-out data, writes result files (official formats) into {@code outDir},
   * and returns the figures, including the task's headline key.
   */
  JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info);
}
