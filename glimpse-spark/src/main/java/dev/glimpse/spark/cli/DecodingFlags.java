package dev.glimpse.spark.cli;

import dev.glimpse.spark.Decoding;
import picocli.CommandLine.Option;

/** The decoding flags of {@code glimpse caption}, with the same names and defaults. */
final class DecodingFlags {
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

  @Option(names = "--score", description = "Add a score column (sum of the tokens' log-probabilities; beam score).")
  boolean score;

  Decoding decoding() {
    if (beams != null && beams < 1) {
      throw new dev.glimpse.util.GlimpseException("--beam must be >= 1, got " + beams);
    }
    if (beams != null && beams > 1 && sample) {
      throw new dev.glimpse.util.GlimpseException("choose --beam or --sample, not both");
    }
    if (maxTokens < 1) {
      throw new dev.glimpse.util.GlimpseException("--max-tokens must be >= 1, got " + maxTokens);
    }
    Decoding d = new Decoding(maxTokens, beams == null ? 1 : beams, lengthPenalty, earlyStop, sample, temperature,
        topK, topP, seed, !noCache);
    d.config(Integer.MAX_VALUE); // invalid values fail here with one line
    return d;
  }
}
