package dev.glimpse.recipes;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.PackedBatch;
import dev.glimpse.data.PackedBatcher;
import dev.glimpse.data.LmBatcher;
import dev.glimpse.hf.HfModel;
import dev.glimpse.model.CaptioningModel;
import dev.glimpse.model.GenLipConfig;
import dev.glimpse.model.GenLipModel;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.Models;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.train.AdamW;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.ExampleBatchSource;
import dev.glimpse.train.LmBatchSource;
import dev.glimpse.train.PackedLmObjective;
import dev.glimpse.train.LmObjective;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.train.LossPlot;
import dev.glimpse.train.RunLog;
import dev.glimpse.train.Trainer;
import dev.glimpse.train.TrainerState;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import dev.glimpse.util.SafeTensors;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
   */
  public record Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info,
      Path init, Path visionTower) {
    public Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info) {
      this(out, resume, stopAfter, evaluate, quiet, info, null, null);
    }

    public Options(Path out, boolean resume, long stopAfter, boolean evaluate, boolean quiet, PrintStream info,
        Path init) {
      this(out, resume, stopAfter, evaluate, quiet, info, init, null);
    }
  }

  private TrainRun() {}

  public static JsonObject run(Recipe requested, Options o) {
    Path out = o.out();
    Path checkpointDir = out.resolve(Checkpoint.RUN_CHECKPOINT);
    Recipe recipe = requested;
    if ((o.init() != null || o.resume()) && o.visionTower() != null) {
      throw new GlimpseException("a vision tower starts a new model; it cannot be combined with --init or --resume");
    }
    if (o.resume()) {
      Checkpoint.resolve(checkpointDir);
      recipe = RecipeFiles.read(out.resolve(RECIPE_FILE));
      if (requested != null && requested.train().steps() != recipe.train().steps()) {
        recipe = recipe.withTrain(recipe.train().withSteps(requested.train().steps()));
      }
    } else if (Files.exists(checkpointDir)) {
      throw new GlimpseException(out + " already holds a checkpoint; continue it with --resume or choose another --out");
    }
    if (recipe == null) {
      throw new GlimpseException("no recipe given");
    }
    VisionTowers.Pretrained tower = o.visionTower() == null ? null : VisionTowers.read(o.visionTower());
    if (tower != null) {
      recipe = recipe.withModel(VisionTowers.withTower(recipe.model(), tower));
    }
    Task task = Tasks.of(recipe);
    Json.write(out.resolve(RECIPE_FILE), RecipeFiles.toJson(recipe));
    o.info().printf("recipe %s: %s%n", recipe.name(), recipe.description());

    Dataset train = task.trainData(recipe);
    boolean fromInit = o.init() != null && !o.resume();
    try (NDManager manager = NDManager.newBaseManager();
        LoadedModel init = fromInit ? LoadedModel.load(o.init(), manager) : null;
        Tokenizer ownTokenizer = fromInit ? null
            : o.resume() ? HfTokenizer.load(checkpointDir) : tokenizer(recipe, train, o.info())) {
      Tokenizer tokenizer = fromInit ? init.tokenizer() : ownTokenizer;
      ModelConfig modelConfig = fromInit ? init.config().continuedUnder(recipe.model())
          : recipe.model().withVocabSize(tokenizer.vocabSize());
      JsonObject saved = o.resume() ? Checkpoint.readConfig(checkpointDir) : null;
      if (o.resume()) {
        modelConfig = Models.parse(saved.get("model_type").getAsString(), saved.get("model"), checkpointDir.toString());
      }
      ParameterStore store = new ParameterStore(manager, recipe.train().seed());
      CaptioningModel model = Models.create(modelConfig, store.root());
      for (String prefix : recipe.train().freeze()) {
        if (store.setFrozen(prefix, true) == 0) {
          throw new GlimpseException("train.freeze: no parameter of the " + modelConfig.modelType()
              + " model starts with '" + prefix + "'");
        }
      }
      ImageTransform transform = fromInit ? init.transform()
          : saved != null && saved.has("image") ? Json.GSON.fromJson(saved.get("image"), ImageTransform.class)
          : tower != null ? tower.transform()
          : ImageTransform.square(modelConfig.imageSize()).withResize(recipe.data().resize(), 0);
      JsonObject checkpointConfig = checkpointConfig(recipe, modelConfig, transform);
      if (tower != null) {
        store.loadUnder(VisionTowers.PREFIX, tower.weights(), tower.source().toString());
        o.info().printf("vision tower: GenLIP encoder from %s (%s)%n", tower.source(),
            recipe.train().freeze().contains(VisionTowers.PREFIX) ? "frozen" : "trained with the rest");
      } else if (recipe.train().freeze().contains(VisionTowers.PREFIX) && !o.resume() && !fromInit) {
        o.info().printf("warning: the recipe freezes the vision tower, which starts untrained here; "
            + "start it from a GenLIP checkpoint with --vision-tower DIR%n");
      }
      if (fromInit) {
        copyWeights(init, store);
        o.info().printf("starting from %s: model %s and its tokenizer (the recipe's model and tokenizer are not used)%n",
            o.init(), modelConfig.modelType());
      }
      JsonObject hf = fromInit ? init.hfSection() : saved != null && saved.has(HfModel.SECTION)
          ? saved.getAsJsonObject(HfModel.SECTION) : null;
      if (hf != null) {
        checkpointConfig.add(HfModel.SECTION, hf); // so that 'export hf' writes the original side files back
      }
      TrainerState start = TrainerState.start();
      try (AdamW optimizer = AdamW.of(store, recipe.train()); RunLog log = new RunLog(out)) {
        if (o.resume()) {
          start = Checkpoint.readState(checkpointDir);
          store.load(checkpointDir.resolve(Checkpoint.WEIGHTS));
          Checkpoint.loadOptimizer(checkpointDir, optimizer, start.step());
          log.truncateAfter(start.step());
          o.info().printf("resuming from step %d of %d%n", start.step(), recipe.train().steps());
        }
        o.info().printf("model %s: %,d parameters; tokenizer: %d ids; training on %s%n", modelConfig.modelType(),
            store.count(), tokenizer.vocabSize(), train.name());
        LmBatcher batcher = new LmBatcher(tokenizer, transform, recipe.train().maxTextTokens(), modelConfig.frames(),
            recipe.data().firstTargetProbability());
        if (recipe.data().packTexts()) {
          if (!model.takesPackedTexts()) {
            throw new GlimpseException("data.packTexts: the " + modelConfig.modelType()
                + " model does not train on packed texts (GIT does); set it to false");
          }
          batcher = batcher.packingTexts();
        }
        Trainer.Checkpointer checkpointer =
            state -> Checkpoint.write(checkpointDir, checkpointConfig, store, tokenizer, optimizer, state);
        ExampleBatchSource<?> batches;
        Trainer<?> trainer;
        if (model instanceof GenLipModel genlip && genlip.config().isNative()) {
          // native aspect ratio: variable-length sequences packed into rows (GenLIP stage 2)
          GenLipConfig g = genlip.config();
          ExampleBatchSource<PackedBatch> packed = new ExampleBatchSource<>(train,
              new PackedBatcher(batcher, g.patchSize(), g.budgets(), g.textPositionStart(), g.rowTokens()),
              recipe.train().batchSize(), recipe.train().gradAccumulation(), recipe.train().seed(),
              recipe.train().steps());
          batches = packed;
          trainer = new Trainer<>(recipe.train(), store, new PackedLmObjective(genlip, recipe.train().labelSmoothing()),
              packed, optimizer, log, checkpointer, o.quiet());
        } else {
          LmBatchSource padded = new LmBatchSource(train, batcher, recipe.train().batchSize(),
              recipe.train().gradAccumulation(), recipe.train().seed(), recipe.train().steps());
          batches = padded;
          trainer = new Trainer<>(recipe.train(), store, new LmObjective(model, recipe.train().labelSmoothing()),
              padded, optimizer, log, checkpointer, o.quiet());
        }
        Trainer.Result result = trainer.run(start, o.stopAfter());
        LossPlot.write(out.resolve(LOSS_PLOT), recipe.name() + " training loss", log.losses());
        if (batches.skipped() > 0) {
          o.info().printf("warning: skipped %d unreadable training examples (last: %s)%n", batches.skipped(),
              batches.lastSkipMessage());
        }

        JsonObject summary = new JsonObject();
        summary.addProperty("recipe", recipe.name());
        summary.addProperty("out", out.toString());
        summary.addProperty("checkpoint", checkpointDir.toString());
        summary.addProperty("steps", result.state().step());
        summary.addProperty("total_steps", recipe.train().steps());
        summary.addProperty("final_loss", result.lastLoss());
        summary.addProperty("train_seconds", result.state().seconds());
        summary.addProperty("tokens_per_s", result.tokensPerSecond());
        summary.addProperty("examples_per_s", result.examplesPerSecond());
        summary.addProperty("parameters", store.count());
        summary.addProperty("skipped_examples", batches.skipped());
        boolean complete = result.state().step() >= recipe.train().steps();
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

  // The init model's weights into the run's store; the init copies are freed at once (large models).
  private static void copyWeights(LoadedModel init, ParameterStore store) {
    Map<String, SafeTensors.Tensor> tensors = new HashMap<>();
    for (SafeTensors.Tensor t : init.store().toTensors()) {
      tensors.put(t.name(), t);
    }
    store.load(tensors, init.source().toString());
    init.store().close();
  }

  /** The config.json of the run's checkpoints. */
  static JsonObject checkpointConfig(Recipe recipe, ModelConfig model, ImageTransform transform) {
    JsonObject c = new JsonObject();
    c.addProperty("format", "glimpse");
    c.addProperty("model_type", model.modelType());
    c.add("model", Models.toJson(model));
    c.add("image", Json.GSON.toJsonTree(transform));
    c.addProperty("task", recipe.task());
    c.addProperty("recipe", recipe.name());
    c.add("data", Json.GSON.toJsonTree(recipe.data()));
    c.add(CheckpointEval.EVAL, Json.GSON.toJsonTree(recipe.eval()));
    return c;
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
