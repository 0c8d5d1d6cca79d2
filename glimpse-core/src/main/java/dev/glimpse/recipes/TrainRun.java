package dev.glimpse.recipes;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.Devices;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.train.AdamW;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.ExampleBatchSource;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.train.LossPlot;
import dev.glimpse.train.RunLog;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.train.TrainableDesign;
import dev.glimpse.train.Trainer;
import dev.glimpse.train.TrainerState;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One training run of a recipe, start to finish: tokenizer, model, trainer, checkpoints, loss plot and
 * the final held-out evaluation. A run folder holds {@code recipe.json}, {@code metrics.jsonl},
 * {@code loss.png}, {@code checkpoint/} and {@code eval/}.
 */
public final class TrainRun {
  public static final String RECIPE_FILE = "recipe.json";
  public static final String LOSS_PLOT = "loss.png";

  /**
   * @param out run folder
   * @param resume continue from {@code out/checkpoint}
   * @param stopAfter stop after this many steps in total (as if interrupted); Long.MAX_VALUE for all
   * @param evaluate run the held-out evaluation when training is complete
   * @param quiet no progress output
   * @param init start from this model (a checkpoint or a HuggingFace folder): its config, weights,
   *     tokenizer and image preprocessing replace the recipe's model and tokenizer; null for a fresh model
   * @param visionTower a GenLIP checkpoint to start the vision tower of the recipe's LLaVA or BLIP-2
   *     model from (see {@link VisionTowers}); null for none
   * @param device where every tensor of the run lives
   * @param parts parts of the model to take from other checkpoints, by part name ({@code --part NAME=DIR})
   */
  public record Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info,
      Path init, Path visionTower, Device device, Map<String, Path> parts) {
    public Options {
      parts = parts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parts));
    }

    public Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info) {
      this(out, resume, stopAfter, evaluate, quiet, info, null, null, Device.cpu(), Map.of());
    }

    public Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info,
        Path init) {
      this(out, resume, stopAfter, evaluate, quiet, info, init, null, Device.cpu(), Map.of());
    }

    /** These options taking the given parts from checkpoints. */
    public Options withParts(Map<String, Path> taken) {
      return new Options(out, resume, stopAfter, evaluate, quiet, info, init, visionTower, device, taken);
    }
  }

  private TrainRun() {}

  public static JsonObject run(Recipe requested, Options o) {
    Path out = o.out();
    Path checkpointDir = out.resolve(Checkpoint.RUN_CHECKPOINT);
    try (NDManager manager = Devices.manager(o.device()); RunStart start = RunStart.choose(requested, o, manager)) {
      Recipe recipe = start.recipe();
      Task task = Tasks.of(recipe);
      Json.write(out.resolve(RECIPE_FILE), RecipeFiles.toJson(recipe));
      o.info().printf("recipe %s: %s%n", recipe.name(), recipe.description());

      Dataset train = task.trainData(recipe);
      Tokenizer tokenizer = start.tokenizer(train, o.info());
      ModelConfig modelConfig = start.modelConfig(tokenizer);
      TrainableDesign design = TrainableDesign.of(modelConfig.modelType());
      ParameterStore store = new ParameterStore(manager, recipe.train().seed());
      Object model = design.build(store.root(), modelConfig);
      ImageTransform transform = start.transform(modelConfig);
      start.loadWeights(store, o.info());
      checkGroups(recipe.train(), store, modelConfig.modelType());
      for (ParameterGroup g : recipe.train().parameterGroups()) {
        if (g.firstStep() >= recipe.train().steps()) {
          o.info().printf("warning: parameter group '%s' starts at step %d of a %d-step run: it never trains%n",
              g.name(), g.firstStep(), recipe.train().steps());
        }
      }
      CheckpointConfig checkpointConfig = checkpointConfig(recipe, modelConfig, transform, start.hfSection());
      try (AdamW optimizer = AdamW.of(store, recipe.train()); RunLog log = new RunLog(out)) {
        TrainerState first = start.restore(optimizer, log, o.info());
        o.info().printf("model %s: %,d parameters (%,d trained); tokenizer: %d ids; training on %s%n",
            modelConfig.modelType(), store.count(), trainedCount(store), tokenizer.vocabSize(), train.name());
        Training<?> training = design.training(model, new TrainingSetup(modelConfig, tokenizer, transform,
            recipe.train(), recipe.data().firstTargetProbability(), recipe.data().packTexts()));
        Trainer.Checkpointer checkpointer =
            state -> Checkpoint.write(checkpointDir, checkpointConfig, store, tokenizer, optimizer, state);
        Trained result = train(training, train, recipe.train(), store, optimizer, log, checkpointer, first, o);
        LossPlot.write(out.resolve(LOSS_PLOT), recipe.name() + " training loss", log.lossCurves());
        if (result.skipped() > 0) {
          o.info().printf("warning: skipped %d unreadable training examples (last: %s)%n", result.skipped(),
              result.lastSkipMessage());
        }

        JsonObject summary = new JsonObject();
        summary.addProperty("recipe", recipe.name());
        summary.addProperty("out", out.toString());
        summary.addProperty("checkpoint", checkpointDir.toString());
        summary.addProperty("steps", result.run().state().step());
        summary.addProperty("total_steps", recipe.train().steps());
        summary.addProperty("final_loss", result.run().lastLoss());
        summary.addProperty("train_seconds", result.run().state().seconds());
        summary.addProperty("tokens_per_s", result.run().tokensPerSecond());
        summary.addProperty("examples_per_s", result.run().examplesPerSecond());
        summary.addProperty("parameters", store.count());
        summary.addProperty("skipped_examples", result.skipped());
        boolean complete = result.run().state().step() >= recipe.train().steps();
        summary.addProperty("complete", complete);
        if (complete && o.evaluate() && recipe.data().testSize() > 0) {
          LoadedModel loaded = new LoadedModel(manager, store, model, modelConfig, tokenizer, transform, checkpointDir);
          JsonObject eval = task.evaluate(loaded, task.testData(recipe), recipe.eval(), out.resolve("eval"), o.info());
          summary.add("eval", eval);
          for (String key : eval.keySet()) {
            if (!summary.has(key)) {
              summary.add(key, eval.get(key));
            }
          }
        }
        return summary;
      }
    }
  }

  /** A finished (or stopped) training and the examples its loader skipped. */
  private record Trained(Trainer.Result run, long skipped, String lastSkipMessage) {}

  // The trainer over the design's batches, from the start's state up to the requested stop.
  private static <B> Trained train(Training<B> training, Dataset data, TrainConfig config, ParameterStore store,
      AdamW optimizer, RunLog log, Trainer.Checkpointer checkpointer, TrainerState first, Options o) {
    ExampleBatchSource<B> batches = new ExampleBatchSource<>(data, training.batcher(), config.batchSize(),
        config.gradAccumulation(), config.seed(), config.steps());
    Trainer<B> trainer = new Trainer<>(config, store, training.objective(), batches, optimizer, log, checkpointer,
        o.quiet());
    Trainer.Result result = trainer.run(first, o.stopAfter());
    return new Trained(result, batches.skipped(), batches.lastSkipMessage());
  }

  // Each freeze prefix and group prefix must name some parameter of the model: a typo must not train everything.
  private static void checkGroups(TrainConfig train, ParameterStore store, String modelType) {
    for (String prefix : train.freeze()) {
      if (store.names().stream().noneMatch(n -> n.startsWith(prefix))) {
        throw new GlimpseException("train.freeze: no parameter of the " + modelType + " model starts with '" + prefix
            + "'");
      }
    }
    List<String> problems = ParameterGroup.check(train.groups(), store.names());
    if (!problems.isEmpty()) {
      throw new GlimpseException("train.groups of the " + modelType + " model: " + String.join("; ", problems));
    }
  }

  private static long trainedCount(ParameterStore store) {
    return store.trainable().stream().mapToLong(p -> p.size()).sum();
  }

  /** The config.json of the run's checkpoints. */
  static CheckpointConfig checkpointConfig(Recipe recipe, ModelConfig model, ImageTransform transform, JsonObject hf) {
    CheckpointConfig.RecipeInfo info = new CheckpointConfig.RecipeInfo(recipe.name(), recipe.task(),
        Json.GSON.toJsonTree(recipe.data()), Json.GSON.toJsonTree(recipe.eval()));
    return new CheckpointConfig(model, transform, null, recipe.train().parameterGroups(), info, hf);
  }

  /** The recipe's tokenizer: an existing tokenizer.json, or byte-level BPE trained on training texts. */
  static Tokenizer tokenizer(Recipe recipe, Dataset train, PrintStream info) {
    TokenizerConfig t = recipe.tokenizer();
    if (t.file() != null) {
      return HfTokenizer.load(Path.of(t.file()));
    }
    List<String> texts = new ArrayList<>();
    int n = Math.min(t.sampleExamples(), train.size());
    for (int i = 0; i < n; i++) {
      for (Example ex : train.get((int) ((long) i * train.size() / n)).members()) {
        if (!ex.prompt().isEmpty()) {
          texts.add(ex.prompt());
        }
        texts.addAll(ex.targets());
      }
    }
    info.printf("training a byte-level BPE tokenizer (max %d ids) on %d texts%n", t.vocabSize(), texts.size());
    return new BpeTrainer(t.vocabSize(), t.minFrequency()).train(texts);
  }
}
