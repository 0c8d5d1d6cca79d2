package dev.glimpse.cli;

import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.util.GlimpseException;
import picocli.CommandLine.Option;

/**
 * The decoding-strategy flags of every command that generates text ({@code caption}, {@code chat},
 * {@code eval} through {@link DecodingOptions}; the Spark jobs add their own columns): one set of names,
 * defaults and checks.
 */
public class DecodingFlags {
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

  /** Beams of {@code --beam}, 1 without it. */
  public int beams() {
    return beams == null ? 1 : beams;
  }

  public double lengthPenalty() {
    return lengthPenalty;
  }

  public boolean earlyStop() {
    return earlyStop;
  }

  public boolean sample() {
    return sample;
  }

  public double temperature() {
    return temperature;
  }

  public int topK() {
    return topK;
  }

  public double topP() {
    return topP;
  }

  public long seed() {
    return seed;
  }

  public int maxTokens() {
    return maxTokens;
  }

  public boolean useCache() {
    return !noCache;
  }

  /**
   * The generation config the flags describe, for a model that reads {@code maxTextLength} text
   * tokens (the token budget is cut to fit); a bad value or combination is one error line.
   */
  public GenerationConfig config(int maxTextLength) {
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
