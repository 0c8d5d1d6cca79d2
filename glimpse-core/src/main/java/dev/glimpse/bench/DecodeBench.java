package dev.glimpse.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.generate.Generator;
import dev.glimpse.generate.LogitsProcessor;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.GitModel;
import dev.glimpse.nn.Devices;
import dev.glimpse.nn.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Greedy decoding speed with and without the KV cache: {@code newTokens} tokens after the image prefix,
 * EOS suppressed so every run generates the same number of tokens. The prefill (image encoding and the
 * pass that yields the first token) is the same work in both variants and is timed on its own; the
 * speedup compares the decode phase (the remaining steps), as serving benchmarks report decode and
 * prefill separately; the end-to-end speedup (prefill included) is what a caller of one generation
 * sees. The two variants are timed alternately over rounds ({@link Rounds}); figures are medians,
 * speedups medians of per-round ratios.
 */
public final class DecodeBench {
  private DecodeBench() {}

  /**
   * @param cachedTokensPerSecond decode-phase tokens/s with the cache (batch x steps / time), median
   * @param uncachedTokensPerSecond decode-phase tokens/s recomputing the sequence each step, median
   * @param speedupStats per-round ratio of the two (decode phase)
   * @param endToEndStats per-round ratio of whole-generation times, prefill included
   */
  public record Result(int batch, double cachedTokensPerSecond, double uncachedTokensPerSecond,
      Rounds.Stats speedupStats, double prefillSeconds, Rounds.Stats endToEndStats, int rounds) {
    public double speedup() {
      return speedupStats.median();
    }

    public double endToEndSpeedup() {
      return endToEndStats.median();
    }

    public JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("batch", batch);
      o.addProperty("cached_tokens_per_s", cachedTokensPerSecond);
      o.addProperty("uncached_tokens_per_s", uncachedTokensPerSecond);
      o.addProperty("speedup", speedup());
      o.addProperty("prefill_s", prefillSeconds);
      o.addProperty("end_to_end_speedup", endToEndSpeedup());
      o.addProperty("rounds", rounds);
      o.add("speedup_spread", speedupStats.toJson());
      o.add("end_to_end_speedup_spread", endToEndStats.toJson());
      return o;
    }
  }

  public static Result run(GitConfig config, int batch, int newTokens, int rounds) {
    try (NDManager manager = Devices.cpuManager(); ParameterStore store = new ParameterStore(manager, 2)) {
      GitModel model = new GitModel(store.root(), config);
      int eos = 2;
      LogitsProcessor noEos = (row, generated, scores) -> scores[eos] = Float.NEGATIVE_INFINITY;
      Map<String, Rounds.Variant> variants = new LinkedHashMap<>();
      variants.put("cached", () -> time(model, manager, config, batch, newTokens, true, noEos, eos));
      variants.put("uncached", () -> time(model, manager, config, batch, newTokens, false, noEos, eos));
      Rounds timed = Rounds.run(variants, rounds);
      double steps = (double) batch * (newTokens - 1); // the first token comes from the prefill
      return new Result(batch, Rounds.Stats.of(timed.seconds("cached", 1)).inverse(steps).median(),
          Rounds.Stats.of(timed.seconds("uncached", 1)).inverse(steps).median(),
          Rounds.Stats.ratio(timed.seconds("uncached", 1), timed.seconds("cached", 1)),
          Rounds.Stats.of(timed.seconds("cached", 0)).median(),
          Rounds.Stats.ratio(timed.total("uncached"), timed.total("cached")), rounds);
    }
  }

  /** {prefill seconds, decode-phase seconds} of one generation. */
  private static double[] time(GitModel model, NDManager manager, GitConfig config, int batch, int newTokens,
      boolean cache, LogitsProcessor processor, int eos) {
    Generator generator = new Generator(model, eos, 0);
    GenerationConfig cfg = GenerationConfig.greedy(newTokens).withCache(cache);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      int side = config.imageSize();
      NDArray pixels = manager.randomNormal(new Shape(batch, 3, side, side));
      NDArray ids = manager.ones(new Shape(batch, 1), ai.djl.ndarray.types.DataType.INT64);
      NDArray valid = manager.ones(new Shape(batch, 1));
      long t0 = System.nanoTime();
      try (DecodeState state = model.prefill(pixels, ids, valid, cache)) {
        state.logits().toFloatArray(); // the first token's scores are ready
        long t1 = System.nanoTime();
        int produced = generator.generate(state, cfg, processor).get(0).tokens().length;
        long t2 = System.nanoTime();
        if (produced != newTokens) {
          throw new IllegalStateException("expected " + newTokens + " tokens, got " + produced);
        }
        return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
      }
    }
  }
}
