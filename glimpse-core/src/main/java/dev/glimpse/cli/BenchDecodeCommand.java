package dev.glimpse.cli;

import com.google.gson.JsonObject;
import dev.glimpse.bench.DecodeBench;
import dev.glimpse.model.GitConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse bench decode}: decoding tokens/s with and without the KV cache. */
@Command(name = "decode", mixinStandardHelpOptions = true,
    description = {"Greedy decoding speed of GIT-small (64 image tokens) with and without the KV cache, "
        + "batch 1 and 16: 'kv_speedup' compares the decode phase (the prefill is the same work in both), "
        + "'kv_speedup_end_to_end' whole generations, prefill included.",
        "The two are timed alternately over rounds (after a warm-up of each); figures are medians, speedups "
            + "medians of the per-round ratios, with their spread."})
public final class BenchDecodeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--new-tokens", description = "Tokens generated per sequence (default 32).")
  int newTokens = 32;

  @Option(names = {"--rounds", "--repeats"}, description = "Timed rounds, each variant once per round (default 5).")
  int repeats = 5;

  @Option(names = "--config", description = "tiny or small (default small).")
  String config = "small";

  @Override
  public Integer call() {
    GitConfig cfg = config.equals("tiny") ? GitConfig.tiny(512) : GitConfig.small(512);
    if (!config.equals("tiny") && !config.equals("small")) {
      throw new dev.glimpse.util.GlimpseException("--config must be tiny or small, got " + config);
    }
    if (repeats < 1 || newTokens < 2) {
      throw new dev.glimpse.util.GlimpseException("--rounds must be >= 1 and --new-tokens >= 2");
    }
    JsonObject result = new JsonObject();
    result.addProperty("config", config);
    result.addProperty("image_tokens", cfg.imageTokens());
    result.addProperty("new_tokens", newTokens);
    result.addProperty("rounds", repeats);
    for (int batch : new int[] {1, 16}) {
      DecodeBench.Result r = DecodeBench.run(cfg, batch, newTokens, repeats);
      common.info().printf("batch %2d: decode %.1f tokens/s with KV cache, %.1f without -> %s; prefill %.3f s; "
              + "end to end %s (medians of %d alternating rounds)%n", batch, r.cachedTokensPerSecond(),
          r.uncachedTokensPerSecond(), r.speedupStats().describe("%.2fx"), r.prefillSeconds(),
          r.endToEndStats().describe("%.2fx"), r.rounds());
      result.add("batch_" + batch, r.toJson());
      String suffix = batch == 1 ? "" : "_batch16";
      result.addProperty("kv_speedup" + suffix, r.speedup());
      result.addProperty("kv_speedup" + suffix + "_end_to_end", r.endToEndSpeedup());
    }
    common.printJson(result);
    return 0;
  }
}
