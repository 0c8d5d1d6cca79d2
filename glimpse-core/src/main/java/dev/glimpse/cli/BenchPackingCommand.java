package dev.glimpse.cli;

import dev.glimpse.nn.TransformerConfig;
import com.google.gson.JsonObject;
import dev.glimpse.bench.PackingBench;
import dev.glimpse.model.GenLipConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse bench packing}: packed variable-resolution batches versus padding to the largest image. */
@Command(name = "packing", mixinStandardHelpOptions = true,
    description = {"GenLIP training tokens/s on wide, tall and square images at native aspect ratio: packed rows "
        + "with block-diagonal masks vs one image per row padded to the largest height and width ('speedup') and vs "
        + "one sequence per row padded to the longest sequence ('speedup_vs_longest').",
        "The layouts are timed alternately, one after another in each round (after a warm-up of each); figures are "
            + "medians over the rounds, speedups medians of the per-round ratios, with their spread."})
public final class BenchPackingCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--images", description = "Images in the batch (default 32).")
  int images = 32;

  @Option(names = "--budget", description = "Patches per image (default 64).")
  int budget = 64;

  @Option(names = {"--rounds", "--repeats"}, description = "Timed rounds, each layout once per round (default 5).")
  int repeats = 5;

  @Option(names = "--layers", description = "Transformer layers (default 7, as genlip-tiny).")
  int layers = 7;

  @Option(names = "--row-tokens", description = "Packed row capacity (default: the longest sequence of the batch).")
  int rowTokens = 0;

  @Override
  public Integer call() {
    if (images < 2 || budget < 1 || repeats < 1 || layers < 1) {
      throw new dev.glimpse.util.GlimpseException("--images must be >= 2 and --budget, --repeats, --layers >= 1");
    }
    GenLipConfig config = GenLipConfig.of(96, 16, TransformerConfig.preLn(192, layers, 6)).withVocabSize(512).withMaxTextPositions(24).withNativeResolution(budget);
    if (rowTokens > 0) {
      config = config.withPackTokens(rowTokens);
    }
    PackingBench.Result r = PackingBench.run(config, images, budget, 24, repeats);
    common.info().printf("%d images (%d wide, %d tall, %d square), budget %d patches; medians of %d alternating rounds:%n"
            + "  packed %.0f tokens/s in %d rows%n"
            + "  padded to the largest height and width %.0f tokens/s in %d rows -> packed is %s as fast%n"
            + "  padded to the longest sequence %.0f tokens/s in %d rows -> packed is %s as fast%n",
        images, r.wide(), r.tall(), r.square(), budget, r.rounds(), r.packedTokensPerSecond(), r.packedRows(),
        r.paddedTokensPerSecond(), r.paddedRows(), r.speedupStats().describe("%.2fx"), r.longestTokensPerSecond(),
        r.longestRows(), r.speedupVsLongestStats().describe("%.2fx"));
    JsonObject result = r.toJson();
    result.addProperty("images", images);
    result.addProperty("budget", budget);
    result.addProperty("layers", layers);
    result.addProperty("row_tokens", rowTokens > 0 ? rowTokens : r.packedLength());
    common.printJson(result);
    return 0;
  }
}
