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
    description = "Greedy decoding speed of GIT-small (64 image tokens) with and without the KV cache, "
        + "batch 1 and 16.")
public final class BenchDecodeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--new-tokens", description = "Tokens generated per sequence (default 32).")
  int newTokens = 32;

  @Option(names = "--repeats", description = "Timed repetitions (median; default 3).")
  int repeats = 3;

  @Option(names = "--config", description = "tiny or small (default small).")
  String config = "small";

  @Override
  public Integer call() {
    GitConfig cfg = config.equals("tiny") ? GitConfig.tiny(512) : GitConfig.small(512);
    if (!config.equals("tiny") && !config.equals("small")) {
      throw new dev.glimpse.util.GlimpseException("--config must be tiny or small, got " + config);
    }
    JsonObject result = new JsonObject();
    result.addProperty("config", config);
    result.addProperty("image_tokens", cfg.imageTokens());
    result.addProperty("new_tokens", newTokens);
    for (int batch : new int[] {1, 16}) {
      DecodeBench.Result r = DecodeBench.run(cfg, batch, newTokens, repeats);
      common.info().printf("batch %2d: decode %.1f tokens/s with KV cache, %.1f without -> %.2fx "
              + "(prefill %.3f s; end to end %.2fx)%n", batch, r.cachedTokensPerSecond(), r.uncachedTokensPerSecond(),
          r.speedup(), r.prefillSeconds(), r.endToEndSpeedup());
      result.add("batch_" + batch, r.toJson());
      if (batch == 1) {
        result.addProperty("kv_speedup", r.speedup());
      } else {
        result.addProperty("kv_speedup_batch16", r.speedup());
      }
    }
    common.printJson(result);
    return 0;
  }
}
