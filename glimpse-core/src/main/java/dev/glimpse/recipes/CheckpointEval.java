package dev.glimpse.recipes;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.synth.Split;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.hf.HfModel;
import dev.glimpse.nn.Devices;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Evaluates any checkpoint on a split of the data it was trained on, with its task's metrics. */
public final class CheckpointEval {
  /** The key of the recipe's evaluation settings in a checkpoint's config.json. */
  public static final String EVAL = "eval";

  /** Used for checkpoints written before their recipe's evaluation settings were saved. */
  public static final EvalConfig DEFAULT = new EvalConfig(16, GenerationConfig.greedy(32));

  private CheckpointEval() {}

  /**
   * The evaluation settings (decoding, batch) of the recipe that trained a checkpoint, or {@link
   * #DEFAULT} for checkpoints that predate them.
   */
  public static EvalConfig saved(CheckpointConfig config, Path dir) {
    if (config.recipe() == null || config.recipe().eval() == null) {
      return DEFAULT;
    }
    try {
      EvalConfig eval = Json.GSON.fromJson(config.recipe().eval(), EvalConfig.class);
      if (eval == null) {
        throw new IllegalArgumentException("empty");
      }
      return eval;
    } catch (RuntimeException e) {
      throw new GlimpseException("invalid eval settings in " + dir.resolve(Checkpoint.CONFIG) + ": "
          + Json.rootMessage(e));
    }
  }

  /**
   * @param count examples to evaluate (0: the recipe's test size)
   * @param choose the decoding and batch size to use, given the recipe's own ({@link #saved})
   * @param out folder for result files (official formats) and metrics.json
   * @param device where the model runs
   */
  public static JsonObject run(Path checkpoint, Split split, int count, UnaryOperator<EvalConfig> choose, Path out,
      PrintStream info, Device device) {
    return run(checkpoint, null, split, count, choose, out, info, device);
  }

  /**
   * As {@link #run(Path, Split, int, UnaryOperator, Path, PrintStream, Device)}, on the synthetic data of
   * another task than the recipe's ({@code task} non-null): a stage-1 MM-GEM on the regions, say.
   */
  public static JsonObject run(Path checkpoint, String task, Split split, int count, UnaryOperator<EvalConfig> choose,
      Path out, PrintStream info, Device device) {
    Path dir = Checkpoint.resolve(checkpoint);
    if (HfModel.isHfDir(dir)) {
      throw new GlimpseException(dir + " is a HuggingFace model: it does not say which data it was trained on (score "
          + "its outputs with 'glimpse eval captions' or 'glimpse eval vqa')");
    }
    CheckpointConfig config = CheckpointConfig.read(dir);
    EvalConfig settings = choose.apply(saved(config, dir));
    if (config.recipe() == null || config.recipe().data() == null) {
      throw new GlimpseException(dir + " does not say which data it was trained on (no \"data\" in config.json)");
    }
    String recipeTask = config.recipe().task();
    DataConfig data;
    try {
      data = Json.GSON.fromJson(config.recipe().data(), DataConfig.class);
    } catch (RuntimeException e) {
      throw new GlimpseException("invalid data settings in " + dir.resolve(Checkpoint.CONFIG) + ": "
          + Json.rootMessage(e));
    }
    if (task != null && !task.equals(recipeTask) && !data.isSynthetic()) {
      throw new GlimpseException("--task " + task + " evaluates on the synthetic data of that task; " + dir
          + " was trained on " + data.source());
    }
    if (task == null) {
      task = recipeTask;
    } else if (!task.equals(recipeTask)) {
      data = data.withCaptionMix(0); // the other task's own examples only
    }
    int size = count > 0 ? count : Math.max(1, data.testSize());
    Task t = Tasks.of(task);
    try (NDManager manager = Devices.manager(device); LoadedModel model = LoadedModel.load(dir, manager)) {
      Dataset dataset = t.dataset(data, model.config(), split, size);
      JsonObject result = new JsonObject();
      result.addProperty("checkpoint", dir.toString());
      result.addProperty("task", task);
      result.addProperty("split", split.id());
      result.addProperty("examples", dataset.size());
      result.add("decoding", Json.GSON.toJsonTree(settings.generation()));
      JsonObject metrics = t.evaluate(model, dataset, settings, out, info);
      for (String key : metrics.keySet()) {
        result.add(key, metrics.get(key));
      }
      result.addProperty("results_dir", out.toString());
      return result;
    }
  }
}
