package dev.glimpse.cli;

import com.google.gson.JsonObject;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticWriter;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse data synth}: writes a split of the synthetic scenes as PNGs + COCO captions JSON. */
@Command(
    name = "synth",
    mixinStandardHelpOptions = true,
    description = {
      "Write synthetic scenes to disk: DIR/images/<split>/<id>.png, DIR/annotations/captions_<split>.json"
          + " (COCO captions format) and DIR/annotations/scenes_<split>.json (ground truth)."
    })
public final class DataSynthCommand implements Runnable {
  /** Above this many images a progress bar is shown (on stderr). */
  private static final int PROGRESS_THRESHOLD = 200;
  private static final int MAX_COUNT = 10_000_000;

  @Mixin CommonOptions common;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--split", defaultValue = "train", paramLabel = "SPLIT",
      description = "train, val or test (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--count", defaultValue = "1000", paramLabel = "N",
      description = "Number of images (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Base seed; with the split and index it fixes every scene (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public void run() {
    Split parsedSplit;
    try {
      parsedSplit = Split.parse(split);
    } catch (IllegalArgumentException e) {
      throw new GlimpseException(e.getMessage());
    }
    if (count < 1 || count > MAX_COUNT) {
      throw new GlimpseException("--count must be between 1 and " + MAX_COUNT + ", got " + count);
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new GlimpseException("--out must be a folder, but " + out + " is a file");
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
}
