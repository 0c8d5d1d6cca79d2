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
import java.util.Arrays;

/**
 * Greedy decoding speed with and without the KV cache: {@code newTokens} tokens after the image prefix,
 * EOS suppressed so every run generates the same number of tokens. The prefill (image encoding and the
 * pass that yields the first token) is the same work in both variants and is timed on its own; the
 * speedup compares the decode phase (the remaining steps), as serving benchmarks report decode and
 * prefill separately. End-to-end figures (prefill included) are reported too.
 */
public final class DecodeBench {
  private DecodeBench() {}

  /**
   * @param cachedTokensPerSecond decode-phase tokens/s with the cache (batch x steps / time)
   * @param uncachedTokensPerSecond decode-phase tokens/s recomputing the sequence each step
   * @param speedup ratio of the two (decode phase)
   * @param endToEndSpeedup ratio of whole-generation times, prefill included
   */
  public record Result(int batch, double cachedTokensPerSecond, double uncachedTokensPerSecond, double speedup,
      double prefillSeconds, double endToEndSpeedup) {
    public JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("batch", batch);
      o.addProperty("cached_tokens_per_s", cachedTokensPerSecond);
      o.addProperty("uncached_tokens_per_s", uncachedTokensPerSecond);
      o.addProperty("speedup", speedup);
      o.addProperty("prefill_s", prefillSeconds);
      o.addProperty("end_to_end_speedup", endToEndSpeedup);
      return o;
    }
  }

  public static Result run(GitConfig config, int batch, int newTokens, int repeats) {
    try (NDManager manager = Devices.cpuManager(); ParameterStore store = new ParameterStore(manager, 2)) {
      GitModel model = new GitModel(store.root(), config);
      int eos = 2;
      LogitsProcessor noEos = (row, generated, scores) -> scores[eos] = Float.NEGATIVE_INFINITY;
      double[] cached = time(model, manager, config, batch, newTokens, repeats, true, noEos, eos);
      double[] uncached = time(model, manager, config, batch, newTokens, repeats, false, noEos, eos);
      double steps = (double) batch * (newTokens - 1); // the first token comes from the prefill
      return new Result(batch, steps / cached[1], steps / uncached[1], uncached[1] / cached[1], cached[0],
          (uncached[0] + uncached[1]) / (cached[0] + cached[1]));
    }
  }

  /** Median {prefill seconds, decode-phase seconds} over the repeats (after one warm-up run). */
  private static double[] time(GitModel model, NDManager manager, GitConfig config, int batch, int newTokens,
      int repeats, boolean cache, LogitsProcessor processor, int eos) {
    Generator generator = new Generator(model, eos, 0);
    GenerationConfig cfg = GenerationConfig.greedy(newTokens).withCache(cache);
    double[] prefill = new double[repeats];
    double[] decode = new double[repeats];
    for (int r = -1; r < repeats; r++) {
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
          if (r >= 0) {
            prefill[r] = (t1 - t0) / 1e9;
            decode[r] = (t2 - t1) / 1e9;
          }
        }
      }
    }
    Arrays.sort(prefill);
    Arrays.sort(decode);
    return new double[] {prefill[repeats / 2], decode[repeats / 2]};
  }
}
