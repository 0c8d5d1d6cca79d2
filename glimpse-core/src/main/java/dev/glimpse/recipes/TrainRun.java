package dev.glimpse.recipes;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.ConnectorConfig;
import dev.glimpse.model.GeneratesImages;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.Devices;
import dev.glimpse.tokenize.ChatTemplate;
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
import java.nio.file.Files;
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
   * @param visionTower a checkpoint whose vision encoder starts the tower of the recipe's connector
   *     model (see {@link VisionTowers}); null for none
   * @param languageModel a checkpoint whose language model starts the recipe's connector model's (see
   *     {@link LanguageModels}); null for none
   * @param visionLayer the tower's hidden state the connector reads (HF convention), null for the recipe's
   * @param device where every tensor of the run lives
   * @param parts parts of the model to take from other checkpoints, by part name ({@code --part NAME=DIR})
   */
  public record Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info,
      Path init, Path visionTower, Path languageModel, Integer visionLayer, Device device, Map<String, Path> parts) {
    public Options {
      parts = parts == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parts));
    }

    public Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info) {
      this(out, resume, stopAfter, evaluate, quiet, info, null, null, null, null, Device.cpu(), Map.of());
    }

    public Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info,
        Path init) {
      this(out, resume, stopAfter, evaluate, quiet, info, init, null, null, null, Device.cpu(), Map.of());
    }

    /** A run from {@code init} or a vision tower only, on {@code device}. */
    public Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info,
        Path init, Path visionTower, Device device) {
      this(out, resume, stopAfter, evaluate, quiet, info, init, visionTower, null, null, device, Map.of());
    }

    /** A run from a vision tower, a language model and the layer it reads (null for none), on {@code device}. */
    public Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info,
        Path init, Path visionTower, Path languageModel, Integer visionLayer, Device device) {
      this(out, resume, stopAfter, evaluate, quiet, info, init, visionTower, languageModel, visionLayer, device, Map.of());
    }

    /** The same options for another run folder, start and evaluation. */
    Options with(Path newOut, boolean newResume, boolean newEvaluate, Path newInit, boolean pretrained) {
      return new Options(newOut, newResume, stopAfter, newEvaluate, quiet, info, newInit,
          pretrained ? visionTower : null, pretrained ? languageModel : null, pretrained ? visionLayer : null, device,
          pretrained ? parts : Map.of());
    }

    /** These options taking the given parts from checkpoints. */
    public Options withParts(Map<String, Path> taken) {
      return new Options(out, resume, stopAfter, evaluate, quiet, info, init, visionTower, languageModel, visionLayer,
          device, taken);
    }
  }

  private TrainRun() {}

  public static JsonObject run(Recipe requested, Options o) {
    Recipe chained = chained(requested, o);
    return chained != null ? runChain(chained, o) : runOne(requested, o);
  }

  /**
   * The recipe whose first stage must run first ({@link Recipe#after}), or null: a new run of such a
   * recipe not started from a model, or the resumption of one whose second stage has not started.
   */
  private static Recipe chained(Recipe requested, Options o) {
    if (o.init() != null) {
      return null;
    }
    if (!o.resume()) {
      return requested != null && requested.after() != null ? requested : null;
    }
    Path file = o.out().resolve(RECIPE_FILE);
    if (Files.exists(o.out().resolve(Checkpoint.RUN_CHECKPOINT)) || !Files.isRegularFile(file)) {
      return null;
    }
    Recipe saved = RecipeFiles.read(file);
    if (saved.after() == null) {
      return null;
    }
    return requested != null ? saved.withTrain(saved.train().withSteps(requested.train().steps())) : saved;
  }

  /**
   * A two-stage recipe: its first stage ({@link Recipe#after}) into the subfolder of that name, with
   * the run's vision tower and language model, no evaluation; then this recipe from the first stage's
   * checkpoint. Either stage resumes where it stopped.
   */
  private static JsonObject runChain(Recipe recipe, Options o) {
    Path firstOut = o.out().resolve(recipe.after());
    Recipe first = Recipes.get(recipe.after());
    Json.write(o.out().resolve(RECIPE_FILE), RecipeFiles.toJson(recipe)); // so that --resume finds the chain
    JsonObject firstSummary = null;
    if (!complete(firstOut, first)) {
      boolean resumeFirst = Files.exists(firstOut.resolve(Checkpoint.RUN_CHECKPOINT));
      o.info().printf("stage 1 of %s: %s%s%n", recipe.name(), first.name(), resumeFirst ? " (resuming)" : "");
      firstSummary = run(resumeFirst ? null : first, o.with(firstOut, resumeFirst, false, null, !resumeFirst));
      if (!firstSummary.get("complete").getAsBoolean()) {
        return firstSummary;
      }
    }
    o.info().printf("stage 2 of %s, from %s%n", recipe.name(), firstOut.resolve(Checkpoint.RUN_CHECKPOINT));
    JsonObject summary = runOne(recipe, o.with(o.out(), false, o.evaluate(),
        firstOut.resolve(Checkpoint.RUN_CHECKPOINT), false));
    JsonArray stages = new JsonArray();
    double seconds = summary.get("train_seconds").getAsDouble();
    if (firstSummary != null) {
      stages.add(firstSummary);
      seconds += firstSummary.get("train_seconds").getAsDouble();
    } else {
      JsonObject done = new JsonObject();
      done.addProperty("recipe", first.name());
      done.addProperty("out", firstOut.toString());
      done.addProperty("complete", true);
      stages.add(done);
    }
    summary.add("stages", stages);
    summary.addProperty("total_train_seconds", seconds);
    return summary;
  }

  // whether a run folder holds the last checkpoint of its recipe
  private static boolean complete(Path out, Recipe recipe) {
    Path checkpoint = out.resolve(Checkpoint.RUN_CHECKPOINT);
    return Files.isRegularFile(checkpoint.resolve(Checkpoint.STATE))
        && Checkpoint.readState(checkpoint).step() >= recipe.train().steps();
  }

  private static JsonObject runOne(Recipe requested, Options o) {
    Path out = o.out();
    Path checkpointDir = out.resolve(Checkpoint.RUN_CHECKPOINT);
    try (NDManager manager = Devices.manager(o.device()); RunStart start = RunStart.choose(requested, o, manager)) {
      Recipe recipe = start.recipe();
      Task task = Tasks.of(recipe);
      if (o.evaluate() && recipe.data().testSize() > 0) {
        ReferenceCaptioner.check(recipe.eval(), manager); // a wrong one fails now, not after the training
      }
      Json.write(out.resolve(RECIPE_FILE), RecipeFiles.toJson(recipe));
      o.info().printf("recipe %s: %s%n", recipe.name(), recipe.description());
      if (!o.resume() && o.init() == null) {
        Parts.warnMissing(recipe.model(), o.parts().keySet(), o.info());
      }

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
      Tokenizer decoderTokenizer = decoderTokenizer(model, start, modelConfig);
      CheckpointConfig checkpointConfig = checkpointConfig(recipe, modelConfig, transform, start.hfSection());
      try (AdamW optimizer = AdamW.of(store, recipe.train()); RunLog log = new RunLog(out)) {
        TrainerState first = start.restore(optimizer, log, o.info());
        o.info().printf("model %s: %,d parameters (%,d trained); tokenizer: %d ids; training on %s%n",
            modelConfig.modelType(), store.count(), trainedCount(store), tokenizer.vocabSize(), train.name());
        Training<?> training = design.training(model, new TrainingSetup(modelConfig, tokenizer, transform,
            recipe.train(), recipe.data().firstTargetProbability(), recipe.data().packTexts()));
        Trainer.Checkpointer checkpointer =
            state -> Checkpoint.write(checkpointDir, checkpointConfig, store, tokenizer, decoderTokenizer, optimizer,
                state);
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
        summary.addProperty("trained_parameters", trainedCount(store));
        summary.addProperty("skipped_examples", result.skipped());
        boolean complete = result.run().state().step() >= recipe.train().steps();
        summary.addProperty("complete", complete);
        if (complete && o.evaluate() && recipe.data().testSize() > 0) {
          LoadedModel loaded = new LoadedModel(manager, store, model, modelConfig, tokenizer, transform, checkpointDir,
              null, decoderTokenizer);
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

  /**
   * The tokenizer the run's checkpoints carry for the model's image decoder when the decoder has its own
   * (VLV stage 2: the stage-1 decoder's, the model's own being the language model's), else null.
   */
  private static Tokenizer decoderTokenizer(Object model, RunStart start, ModelConfig config) {
    if (!(model instanceof GeneratesImages generator) || !generator.decoderHasOwnTokenizer()) {
      return null;
    }
    Tokenizer own = start.decoderTokenizer();
    if (own == null) {
      throw new GlimpseException("the " + config.modelType() + " model's image decoder reads prompts with a tokenizer "
          + "of its own, and this run has none to give it (start it from the part that brings the decoder)");
    }
    int rows = generator.imageDecoder().config().vocabSize();
    if (own.vocabSize() > rows) {
      throw new GlimpseException("the image decoder's tokenizer has " + own.vocabSize() + " ids but its text encoder "
          + "only " + rows);
    }
    return own;
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
      HfTokenizer loaded = HfTokenizer.load(Path.of(t.file()));
      if (t.chatTemplate() == null) {
        return loaded;
      }
      HfTokenizer templated = loaded.withChatTemplate(t.chatTemplate());
      loaded.close();
      return templated;
    }
    List<String> texts = new ArrayList<>();
    int n = Math.min(t.sampleExamples(), train.size());
    for (int i = 0; i < n; i++) {
      for (Example ex : train.get((int) ((long) i * train.size() / n)).members()) {
        if (!ex.prompt().isEmpty()) {
          texts.add(ex.prompt());
        }
        texts.addAll(ex.targets());
        dev.glimpse.data.Conversation c = dev.glimpse.data.Conversation.of(ex);
        if (c != null) {
          texts.addAll(c.texts());
        }
      }
    }
    info.printf("training a byte-level BPE tokenizer (max %d ids) on %d texts%n", t.vocabSize(), texts.size());
    HfTokenizer trained = new BpeTrainer(t.vocabSize(), t.minFrequency()).train(texts);
    if (recipe.model() instanceof ConnectorConfig) { // the image placeholder, one id after the learned ones
      HfTokenizer withImage = trained.withAddedTokens(List.of(ChatTemplate.IMAGE_TOKEN));
      trained.close();
      trained = withImage;
    }
    if (t.chatTemplate() != null) {
      HfTokenizer templated = trained.withChatTemplate(t.chatTemplate());
      trained.close();
      trained = templated;
    }
    return trained;
  }
}
