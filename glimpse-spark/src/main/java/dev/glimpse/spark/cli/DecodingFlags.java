package dev.glimpse.spark.cli;

import dev.glimpse.spark.Decoding;
import dev.glimpse.util.GlimpseException;
import picocli.CommandLine.Option;

/** The decoding flags of {@code glimpse caption} (the same class), and the Spark jobs' score column. */
final class DecodingFlags extends dev.glimpse.cli.DecodingFlags {
  @Option(names = "--score", description = "Add a score column (sum of the tokens' log-probabilities; beam score).")
  boolean score;

  Decoding decoding() {
    if (beams() < 1) {
      throw new GlimpseException("--beam must be >= 1, got " + beams());
    }
    if (beams() > 1 && sample()) {
      throw new GlimpseException("choose --beam or --sample, not both");
    }
    if (maxTokens() < 1) {
      throw new GlimpseException("--max-tokens must be >= 1, got " + maxTokens());
    }
    Decoding d = new Decoding(maxTokens(), beams(), lengthPenalty(), earlyStop(), sample(), temperature(), topK(),
        topP(), seed(), useCache());
    d.config(Integer.MAX_VALUE); // invalid values fail here with one line
    return d;
  }
}
