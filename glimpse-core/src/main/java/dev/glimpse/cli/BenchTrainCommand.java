package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import dev.glimpse.bench.Bf16Probe;
import dev.glimpse.bench.MatmulPeak;
import dev.glimpse.bench.TrainBench;
import dev.glimpse.model.GitConfig;
import dev.glimpse.nn.Devices;
import dev.glimpse.recipes.Recipe;
import dev.glimpse.recipes.RecipeFiles;
import dev.glimpse.recipes.Recipes;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glimpse bench train}: training tokens/s and MFU for the tiny and small GIT configs; with
 * {@code --recipe}, the step time of recipes' models and their projected training time on this
 * machine, next to GIT-tiny measured in the same run.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Training throughput and MFU (model FLOP/s over the fp32 matmul peak measured in this run) "
        + "for GIT tiny (D=256) and small (D=512); also compares fp32, fp16 and bf16 matmul speed.",
        "With --recipe: a training step of each recipe's model at its batch size and text length, its training "
            + "time projected from that (steps x seconds per step; data loading and evaluation not included), and "
            + "its step time over GIT-tiny's measured in the same run (a figure that carries from one machine to "
            + "another); GIT-small is then skipped."})
public final class BenchTrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--batch-size", description = "Examples per step (default 16).")
  int batchSize = 16;

  @Option(names = "--text-tokens", description = "Text positions per example (default 16; 64 image tokens).")
  int textTokens = 16;

  @Option(names = "--steps", description = "Measured steps per config after one warm-up step (default 4).")
  int steps = 4;

  @Option(names = "--skip-precision", description = "Skip the fp16/bf16 comparison.")
  boolean skipPrecision;

  @Option(names = "--recipe", paramLabel = "NAME|FILE",
      description = "Time a training step of this recipe's model (a named recipe or a recipe JSON file; GIT models), "
          + "on random data. Repeatable.")
  List<String> recipes = new ArrayList<>();

  @Override
  public Integer call() {
    List<Recipe> timed = new ArrayList<>();
    for (String spec : recipes) {
      timed.add(recipe(spec));
    }
    JsonObject result = new JsonObject();
    try (NDManager manager = Devices.cpuManager()) {
      double peak = MatmulPeak.gflops(manager, 2048, 7, DataType.FLOAT32);
      common.info().printf("fp32 matmul peak (2048^3, median of 7): %.1f GFLOP/s%n", peak);
      result.addProperty("peak_fp32_gflops", peak);
      double tinyStep = 0;
      for (String name : timed.isEmpty() ? new String[] {"tiny", "small"} : new String[] {"tiny"}) {
        GitConfig cfg = name.equals("tiny") ? GitConfig.tiny(512) : GitConfig.small(512);
        TrainBench.Result r = TrainBench.run(name, cfg, batchSize, textTokens, steps, peak);
        common.info().printf("%-5s D=%d  %,d params  %.0f tokens/s  (%.1f examples/s, %.2f s/step)  "
                + "model %.1f GFLOP/s  MFU %.1f%%%n", name, cfg.width(), r.parameters(), r.tokensPerSecond(),
            r.examplesPerSecond(), r.secondsPerStep(), r.modelGflops(), 100 * r.mfu());
        result.add(name, r.toJson());
        tinyStep = name.equals("tiny") ? r.secondsPerStep() : tinyStep;
      }
      if (!timed.isEmpty()) {
        JsonObject byRecipe = new JsonObject();
        for (int i = 0; i < timed.size(); i++) {
          byRecipe.add(recipes.get(i), timeRecipe(recipes.get(i), timed.get(i), peak, tinyStep));
        }
        result.add("recipes", byRecipe);
      }
      // the peak may drift on a shared machine: measure again and report both
      double peakAfter = MatmulPeak.gflops(manager, 2048, 7, DataType.FLOAT32);
      result.addProperty("peak_fp32_gflops_after", peakAfter);
      if (!skipPrecision) {
        JsonObject precision = new JsonObject();
        double fp16 = MatmulPeak.gflops(manager, 512, 3, DataType.FLOAT16);
        Bf16Probe.Result bf16 = Bf16Probe.run();
        precision.addProperty("fp32_gflops", peak);
        precision.addProperty("fp16_gflops", fp16);
        precision.addProperty("bf16_supported", bf16.supported());
        if (bf16.supported()) {
          precision.addProperty("bf16_gflops", bf16.gflops());
        } else {
          precision.addProperty("bf16_detail", bf16.detail());
        }
        boolean bf16Faster = bf16.supported() && bf16.gflops() > peak;
        precision.addProperty("chosen", bf16Faster ? "bf16 (check accuracy)" : "fp32");
        result.add("precision", precision);
        common.info().printf("precision: fp32 %.1f GFLOP/s, fp16 %.1f GFLOP/s, bf16 %s -> training uses %s%n", peak,
            fp16, bf16.supported() ? String.format("%.1f GFLOP/s", bf16.gflops()) : "unavailable (" + bf16.detail() + ")",
            bf16Faster ? "bf16" : "fp32");
      }
    }
    common.printJson(result);
    return 0;
  }

  /** A named recipe, or a recipe file when {@code spec} names an existing file. */
  private static Recipe recipe(String spec) {
    Path file = Path.of(spec);
    Recipe recipe = Files.isRegularFile(file) ? RecipeFiles.read(file) : Recipes.get(spec);
    if (!(recipe.model() instanceof GitConfig)) {
      throw new GlimpseException("--recipe " + spec + ": only GIT recipes can be timed (its model is "
          + recipe.model().modelType() + ")");
    }
    return recipe;
  }

  /**
   * One recipe's model at its batch size and text length (vocabulary: its tokenizer's size): seconds
   * per optimizer step (times its gradient accumulation) and the projected training minutes.
   */
  private JsonObject timeRecipe(String spec, Recipe recipe, double peak, double tinyStep) {
    TrainConfig train = recipe.train();
    GitConfig cfg = ((GitConfig) recipe.model()).withVocabSize(recipe.tokenizer().vocabSize());
    TrainBench.Result r = TrainBench.run(recipe.name(), cfg, train.batchSize(), train.maxTextTokens(), steps, peak);
    double stepSeconds = r.secondsPerStep() * train.gradAccumulation();
    double minutes = train.steps() * stepSeconds / 60;
    JsonObject o = r.toJson();
    o.addProperty("seconds_per_step", stepSeconds);
    o.addProperty("steps", train.steps());
    o.addProperty("projected_train_minutes", minutes);
    o.addProperty("step_vs_tiny", stepSeconds / tinyStep);
    common.info().printf("%s: %,d steps x %.3f s/step (batch %d, %d text positions) = %.1f min projected; a step"
            + " costs %.2f GIT-tiny steps%n", spec, train.steps(), stepSeconds, train.batchSize(),
        train.maxTextTokens(), minutes, stepSeconds / tinyStep);
    return o;
  }
}
