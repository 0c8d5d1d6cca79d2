package dev.glimpse.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticWriter;
import dev.glimpse.recipes.Suite;
import dev.glimpse.recipes.Task;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code glimpse data synth}: writes a split of the synthetic scenes as PNGs + COCO captions JSON, or
 * with {@code --suite} the benchmark suite (captions, VQA, scene text, video, classification,
 * regions) in the formats of each field.
 */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Write synthetic scenes to disk: DIR/images/<split>/<id>.png, DIR/annotations/captions_<split>.json"
          + " (COCO captions format) and DIR/annotations/scenes_<split>.json (ground truth).",
      "With --suite: DIR/<task>/... for each task in its field's format (see README, Synthetic data)."
    })
public final class DataSynthCommand implements Runnable {
  /** Above this many images a progress bar is shown (on stderr). */
  private static final int PROGRESS_THRESHOLD = 200;
  private static final int MAX_COUNT = 10_000_000;

  @Mixin CommonOptions common;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--split", paramLabel = "SPLIT",
      description = "train, val or test (default: train; with --suite: all three).")
  String split;

  @Option(names = "--suite", paramLabel = "TASKS",
      description = "Write the benchmark suite instead: all, or a comma-separated list of captions, vqa, "
          + "scenetext, video, classification, regions; --count items per task and split.")
  String suite;

  @Option(names = "--count", defaultValue = "1000", paramLabel = "N",
      description = "Number of images (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Base seed; with the split and index it fixes every scene (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public void run() {
    Split parsedSplit = null;
    if (split != null) {
      try {
        parsedSplit = Split.parse(split);
      } catch (IllegalArgumentException e) {
        throw new GlimpseException(e.getMessage());
      }
    }
    if (count < 1 || count > MAX_COUNT) {
      throw new GlimpseException("--count must be between 1 and " + MAX_COUNT + ", got " + count);
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new GlimpseException("--out must be a folder, but " + out + " is a file");
    }
    if (suite != null) {
      writeSuite(parsedSplit);
      return;
    }
    if (parsedSplit == null) {
      parsedSplit = Split.TRAIN;
    }
    SceneGenerator generator = new SceneGenerator(SceneConfig.defaults().withSeed(seed));
    common.info().println("writing " + count + " " + parsedSplit.id() + " scenes (seed " + seed + ") to " + out);
    SyntheticWriter.Written written;
    if (count >= PROGRESS_THRESHOLD) {
      try (ProgressBar bar = new ProgressBarBuilder()
          .setTaskName("synth " + parsedSplit.id())
          .setInitialMax(count)
          .setConsumer(new ConsoleProgressBarConsumer(System.err))
          .build()) {
        IntConsumer progress = bar::stepTo;
        written = SyntheticWriter.writeCaptions(generator, parsedSplit, count, out, progress);
      }
    } else {
      written = SyntheticWriter.writeCaptions(generator, parsedSplit, count, out, done -> { });
    }
    common.info().println("wrote " + written.images() + " images and " + written.captions() + " captions");
    JsonObject result = new JsonObject();
    result.addProperty("out", out.toString());
    result.addProperty("split", parsedSplit.id());
    result.addProperty("images", written.images());
    result.addProperty("captions", written.captions());
    common.printJson(result);
  }

  private void writeSuite(Split onlySplit) {
    Set<Task> tasks = Suite.parse(suite);
    List<Split> splits = onlySplit == null ? List.of(Split.values()) : List.of(onlySplit);
    int total = tasks.size() * splits.size() * count;
    common.info().println("writing the synthetic suite (" + tasks.size() + " tasks, " + splits.size()
        + " splits, " + count + " items each, seed " + seed + ") to " + out);
    SceneConfig config = SceneConfig.defaults().withSeed(seed);
    List<Suite.Written> written;
    if (total >= PROGRESS_THRESHOLD) {
      try (ProgressBar bar = new ProgressBarBuilder()
          .setTaskName("synth suite")
          .setInitialMax(total)
          .setConsumer(new ConsoleProgressBarConsumer(System.err))
          .build()) {
        written = Suite.write(config, tasks, splits, count, out, bar::stepTo);
      }
    } else {
      written = Suite.write(config, tasks, splits, count, out, done -> { });
    }
    JsonObject result = new JsonObject();
    result.addProperty("out", out.toString());
    JsonArray parts = new JsonArray();
    for (Suite.Written w : written) {
      common.info().println(w.task().suiteName() + "/" + w.files().split().id() + ": " + w.files().items()
          + " items, " + w.files().annotations() + " annotations");
      JsonObject part = new JsonObject();
      part.addProperty("task", w.task().suiteName());
      part.addProperty("split", w.files().split().id());
      part.addProperty("items", w.files().items());
      part.addProperty("annotations", w.files().annotations());
      parts.add(part);
    }
    result.add("written", parts);
    common.printJson(result);
  }
}
