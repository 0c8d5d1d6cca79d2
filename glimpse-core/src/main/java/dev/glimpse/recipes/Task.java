package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Subset;
import dev.glimpse.data.loaders.DatasetSpec;
import dev.glimpse.data.loaders.SkippingDataset;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SuiteFiles;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.io.PrintStream;
import java.nio.file.Path;

/** What a recipe's task adds to the shared training run: its data and its evaluation. */
public interface Task {
  /** The task's name in recipes and checkpoints. */
  String name();

  /**
   * The name of the task's part of the synthetic suite ({@code glimpse data synth --suite}): its folder
   * and the name {@code --suite} takes (the task's name unless the suite has its own, as
   * "classification").
   */
  default String suiteName() {
    return name();
  }

  /**
   * Writes {@code count} items of a split of the task's synthetic data in the file formats of its field
   * into {@code folder}; {@code step} is called once per item. Empty for a task whose data is part of
   * another task's files (reading: the scene-text files).
   */
  default java.util.Optional<SuiteFiles.Written> writeSuite(SceneGenerator scenes, Split split, int count,
      Path folder, java.util.function.IntConsumer step) {
    return java.util.Optional.empty();
  }

  /** Whether the task writes suite files of its own ({@link #writeSuite} is not empty). */
  default boolean hasSuiteFiles() {
    return true;
  }

  /** The key of the task's headline figure in evaluation results (a fraction in 0..1, or CIDEr). */
  String headline();

  /** Whether the task's synthetic training data can take {@link DataConfig#captionMix} captions. */
  default boolean mixesCaptions() {
    return false;
  }

  /** Whether the task's synthetic training data can take {@link DataConfig#cleanTextMix} close-ups. */
  default boolean mixesCleanText() {
    return false;
  }

  /** Whether the task's synthetic training data can take {@link DataConfig#flatMix} flat drawings. */
  default boolean mixesFlatScenes() {
    return false;
  }

  /** Whether the task's synthetic training data can group its texts per image ({@link DataConfig#packTexts}). */
  default boolean packsTexts() {
    return false;
  }

  /** {@code size} examples of a split of the built-in synthetic data. */
  Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size);

  /** {@code size} examples of a split: synthetic, or a real dataset opened from its spec. */
  default Dataset dataset(DataConfig data, ModelConfig model, Split split, int size) {
    refuseUnsupported(data.captionMix() > 0, mixesCaptions(), data,
        "data.captionMix mixes synthetic captions into synthetic VQA training", "takes none (set it to 0)");
    refuseUnsupported(data.cleanTextMix() > 0 || data.schedulesCleanText(), mixesCleanText(), data,
        "data.cleanTextMix mixes clean sign close-ups into synthetic scene-text reading", "takes none (set it to 0)");
    refuseUnsupported(data.flatMix() > 0, mixesFlatScenes(), data,
        "data.flatMix mixes flat drawings into synthetic captioning", "takes none (set it to 0)");
    refuseUnsupported(data.packTexts(), packsTexts(), data,
        "data.packTexts trains all questions of a synthetic VQA image in one row",
        "does not group its texts (set it to false)");
    if (data.isSynthetic()) {
      return synthetic(data, model, split, size);
    }
    String spec = split == Split.TRAIN ? data.source() : data.testSource();
    if (spec == null) {
      throw new GlimpseException("data.testSource (a dataset spec) is needed to evaluate on real data");
    }
    DatasetSpec parsed = DatasetSpec.parse(spec);
    if (parsed.isStreaming()) {
      throw new GlimpseException("'" + spec + "' is a WebDataset stream; recipes train and evaluate on indexed "
          + "datasets (coco, vqa2, msrvtt, imagefolder, jsonl)");
    }
    Dataset opened = Subset.limit(parsed.open(), size);
    return split == Split.TRAIN ? opened : new SkippingDataset(opened);
  }

  /**
   * Stops with a message when a synthetic-data option is set ({@code set}) for real data or for a task
   * whose synthetic data does not take it ({@code supported}).
   */
  private void refuseUnsupported(boolean set, boolean supported, DataConfig data, String what, String fix) {
    if (set && !(data.isSynthetic() && supported)) {
      throw new GlimpseException(what + "; task '" + name() + "' with source '" + data.source() + "' " + fix);
    }
  }

  /** Training examples. */
  default Dataset trainData(Recipe recipe) {
    return dataset(recipe.data(), recipe.model(), Split.TRAIN, recipe.data().trainSize());
  }

  /** Held-out examples for the final evaluation. */
  default Dataset testData(Recipe recipe) {
    return dataset(recipe.data(), recipe.model(), Split.TEST, recipe.data().testSize());
  }

  /**
   * Evaluates a model on held-out data, writes result files (official formats) into {@code outDir},
   * and returns the figures, including the task's headline key.
   */
  JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info);
}
