package dev.glimpse.cli;

import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.recipes.EvalConfig;
import dev.glimpse.util.GlimpseException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Decoding flags shared by the commands that generate text. */
public final class DecodingOptions {
  @Option(names = "--beam", paramLabel = "N", description = "Beam search with N beams (default: greedy).")
  Integer beams;

  @Option(names = "--length-penalty", description = "Beam length penalty (default 1.0).")
  double lengthPenalty = 1.0;

  @Option(names = "--early-stop", description = "Beam search: stop once N hypotheses have ended.")
  boolean earlyStop;

  @Option(names = "--sample", description = "Sample instead of greedy decoding.")
  boolean sample;

  @Option(names = "--temperature", description = "Sampling temperature (default 1.0).")
  double temperature = 1.0;

  @Option(names = "--top-k", description = "Sampling: keep the K most likely tokens (0 = all).")
  int topK;

  @Option(names = "--top-p", description = "Sampling: nucleus mass (default 1.0).")
  double topP = 1.0;

  @Option(names = "--seed", description = "Sampling seed (default 0).")
  long seed;

  @Option(names = "--max-tokens", description = "Most tokens to generate (default 32).")
  int maxTokens = 32;

  @Option(names = "--no-cache", description = "Decode without the KV cache (slower; for checks).")
  boolean noCache;

  @Option(names = "--batch-size", description = "Images decoded together (default 16).")
  int batchSize = 16;

  private static final List<String> STRATEGY_FLAGS = List.of("--beam", "--length-penalty", "--early-stop", "--sample",
      "--temperature", "--top-k", "--top-p", "--seed", "--max-tokens");

  /**
   * Evaluation settings: with any decoding-strategy flag given, decoding as {@link #config} builds it;
   * without one, {@code saved} (the recipe's own), with {@code --no-cache} and {@code --batch-size}
   * applied when given.
   */
  EvalConfig evalConfig(CommandLine.ParseResult parsed, EvalConfig saved, int maxTextLength) {
    boolean strategy = STRATEGY_FLAGS.stream().anyMatch(parsed::hasMatchedOption);
    GenerationConfig generation = strategy ? config(maxTextLength) : saved.generation().withCache(!noCache);
    int batch = parsed.hasMatchedOption("--batch-size") ? checkedBatchSize() : saved.batchSize();
    return new EvalConfig(batch, generation, saved.referenceCaptioner());
  }

  private int checkedBatchSize() {
    if (batchSize <= 0) {
      throw new GlimpseException("--batch-size must be > 0, got " + batchSize);
    }
    return batchSize;
  }

  GenerationConfig config(int maxTextLength) {
    checkedBatchSize();
    if (beams != null && sample) {
      throw new GlimpseException("choose --beam or --sample, not both");
    }
    int max = Math.min(maxTokens, Math.max(1, maxTextLength - 1));
    try {
      GenerationConfig cfg;
      if (beams != null) {
        cfg = GenerationConfig.beam(max, beams, lengthPenalty, earlyStop);
      } else if (sample) {
        cfg = GenerationConfig.sample(max, temperature, topK, topP, seed);
      } else {
        cfg = GenerationConfig.greedy(max);
      }
      return cfg.withCache(!noCache);
    } catch (IllegalArgumentException e) {
      throw new GlimpseException("invalid decoding option: " + e.getMessage());
    }
  }
}
