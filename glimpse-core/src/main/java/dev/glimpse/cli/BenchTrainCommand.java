package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import dev.glimpse.bench.Bf16Probe;
import dev.glimpse.bench.MatmulPeak;
import dev.glimpse.bench.Rounds;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glimpse bench train}: training tokens/s and MFU for the tiny and small GIT configs; with
 * {@code --recipe}, the step time of recipes' models and their projected training time on this
 * machine, next to GIT-tiny measured in the same run. The configs are timed alternately over rounds,
 * and the fp32 matmul peak is measured before, in every round and after: MFU is over the highest.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Training throughput and MFU (model FLOP/s over the highest fp32 matmul peak measured in this run) "
        + "for GIT tiny (D=256) and small (D=512); also compares fp32, fp16 and bf16 matmul speed (Glimpse trains "
        + "in fp32).",
        "With --recipe: a training step of each recipe's model at its batch size and text length, its training "
            + "time projected from that (steps x seconds per step; data loading and evaluation not included), and "
            + "its step time over GIT-tiny's measured in the same rounds (a figure that carries from one machine to "
            + "another); GIT-small is then skipped.",
        "The configs are timed alternately, --steps steps each per round; figures are medians over the rounds, "
            + "ratios medians of the per-round ratios, with their spread."})
public final class BenchTrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--batch-size", description = "Examples per step (default 16).")
  int batchSize = 16;

  @Option(names = "--text-tokens", description = "Text positions per example (default 16; 64 image tokens).")
  int textTokens = 16;

  @Option(names = "--steps", description = "Measured steps per config and round, after one warm-up step (default 4).")
  int steps = 4;

  @Option(names = "--rounds", description = "Rounds: each config is timed once per round, alternately (default 3).")
  int rounds = 3;

  @Option(names = "--peak-size", paramLabel = "N",
      description = "Side of the square matrices of the fp32 peak measurement (default 2048).")
  int peakSize = 2048;

  @Option(names = "--skip-precision", description = "Skip the fp16/bf16 comparison.")
  boolean skipPrecision;

  @Option(names = "--recipe", paramLabel = "NAME|FILE",
      description = "Time a training step of this recipe's model (a named recipe or a recipe JSON file; GIT models), "
          + "on random data. Repeatable.")
  List<String> recipes = new ArrayList<>();

  private static final String PEAK = "fp32 matmul peak";

  @Override
  public Integer call() {
    if (steps < 1 || rounds < 1 || batchSize < 1 || textTokens < 1 || peakSize < 1) {
      throw new GlimpseException("--steps, --rounds, --batch-size, --text-tokens and --peak-size must be at least 1");
    }
    List<Recipe> timed = new ArrayList<>();
    for (String spec : recipes) {
      timed.add(recipe(spec));
    }
    JsonObject result = new JsonObject();
    result.addProperty("rounds", rounds);
    List<TrainBench.Session> sessions = new ArrayList<>();
    try (NDManager manager = Devices.cpuManager()) {
      List<Double> peaks = new ArrayList<>();
      peaks.add(MatmulPeak.gflops(manager, peakSize, 7, DataType.FLOAT32));
      for (String name : timed.isEmpty() ? new String[] {"tiny", "small"} : new String[] {"tiny"}) {
        GitConfig cfg = name.equals("tiny") ? GitConfig.tiny(512) : GitConfig.small(512);
        sessions.add(new TrainBench.Session(name, cfg, batchSize, textTokens, steps, rounds));
      }
      List<TrainConfig> recipeTrain = new ArrayList<>();
      for (int i = 0; i < timed.size(); i++) {
        Recipe recipe = timed.get(i);
        TrainConfig train = recipe.train();
        GitConfig cfg = ((GitConfig) recipe.model()).withVocabSize(recipe.tokenizer().vocabSize());
        sessions.add(new TrainBench.Session(recipes.get(i), cfg, train.batchSize(), train.maxTextTokens(), steps,
            rounds));
        recipeTrain.add(train);
      }
      Map<String, Rounds.Variant> variants = new LinkedHashMap<>();
      variants.put(PEAK, () -> {
        double gflops = MatmulPeak.gflops(manager, peakSize, 7, DataType.FLOAT32);
        peaks.add(gflops);
        return new double[] {2.0 * peakSize * peakSize * peakSize / gflops / 1e9};
      });
      for (TrainBench.Session session : sessions) {
        variants.put(session.name(), () -> new double[] {session.secondsPerStep()});
      }
      Rounds measured = Rounds.run(variants, rounds, false);
      // the peak drifts on a shared machine: the highest measurement is the closest to the machine's peak
      peaks.add(MatmulPeak.gflops(manager, peakSize, 7, DataType.FLOAT32));
      double peak = peaks.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      Rounds.Stats peakStats = Rounds.Stats.of(peaks.stream().mapToDouble(Double::doubleValue).toArray());
      common.info().printf("%s (%d^3, median of 7 per measurement): highest of %d measurements %.1f GFLOP/s "
          + "(lowest %.1f); MFU is over the highest%n", PEAK, peakSize, peaks.size(), peak, peakStats.min());
      result.addProperty("peak_fp32_gflops", peak);
      result.addProperty("peak_fp32_gflops_after", peaks.get(peaks.size() - 1));
      result.add("peak_fp32_gflops_measured", peakStats.toJson());
      double[] tinySteps = measured.seconds("tiny", 0);
      for (TrainBench.Session session : sessions.subList(0, sessions.size() - timed.size())) {
        Rounds.Stats stepStats = Rounds.Stats.of(measured.seconds(session.name(), 0));
        TrainBench.Result r = session.result(stepStats.median(), peak);
        common.info().printf("%-5s D=%d  %,d params  %.0f tokens/s  (%.1f examples/s, %s s/step)  "
                + "model %.1f GFLOP/s  MFU %.1f%%%n", session.name(), session.config().width(), r.parameters(),
            r.tokensPerSecond(), r.examplesPerSecond(), stepStats.describe("%.3f"), r.modelGflops(), 100 * r.mfu());
        JsonObject o = r.toJson();
        o.add("seconds_per_step_spread", stepStats.toJson());
        result.add(session.name(), o);
      }
      if (!timed.isEmpty()) {
        JsonObject byRecipe = new JsonObject();
        for (int i = 0; i < timed.size(); i++) {
          TrainBench.Session session = sessions.get(sessions.size() - timed.size() + i);
          byRecipe.add(recipes.get(i), timeRecipe(recipes.get(i), session, recipeTrain.get(i),
              measured.seconds(session.name(), 0), tinySteps, peak));
        }
        result.add("recipes", byRecipe);
      }
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
        // Glimpse's trainer computes in fp32 whatever the matmul speeds are
        precision.addProperty("chosen", "fp32");
        precision.addProperty("training_precision", "fp32");
        precision.addProperty("bf16_faster_matmul", bf16Faster);
        result.add("precision", precision);
        common.info().printf("matmul speed: fp32 %.1f GFLOP/s, fp16 %.1f GFLOP/s (512^3), bf16 %s; training uses fp32%s%n",
            peak, fp16, bf16.supported() ? String.format("%.1f GFLOP/s (1024^3)", bf16.gflops())
                : "unavailable (" + bf16.detail() + ")",
            bf16Faster ? " (bf16 matmuls are faster here; Glimpse does not train in bf16)" : "");
      }
    } finally {
      for (TrainBench.Session session : sessions) {
        session.close();
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
   * per optimizer step (times its gradient accumulation), the projected training minutes, and its step
   * over GIT-tiny's of the same round.
   */
  private JsonObject timeRecipe(String spec, TrainBench.Session session, TrainConfig train, double[] stepSeconds,
      double[] tinySteps, double peak) {
    Rounds.Stats step = Rounds.Stats.of(stepSeconds);
    Rounds.Stats vsTiny = Rounds.Stats.ratio(stepSeconds, tinySteps);
    TrainBench.Result r = session.result(step.median(), peak);
    double optimizerStep = step.median() * train.gradAccumulation();
    double minutes = train.steps() * optimizerStep / 60;
    JsonObject o = r.toJson();
    o.addProperty("seconds_per_step", optimizerStep);
    o.addProperty("steps", train.steps());
    o.addProperty("projected_train_minutes", minutes);
    o.addProperty("step_vs_tiny", vsTiny.median());
    o.add("step_vs_tiny_spread", vsTiny.toJson());
    o.add("seconds_per_step_spread", step.toJson());
    common.info().printf("%s: %,d steps x %.3f s/step (batch %d, %d text positions) = %.1f min projected; a step"
            + " costs %s GIT-tiny steps%n", spec, train.steps(), optimizerStep, train.batchSize(),
        train.maxTextTokens(), minutes, vsTiny.describe("%.2fx"));
    return o;
  }
}
