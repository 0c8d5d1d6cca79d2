package dev.glimpse.cli;

import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.recipes.EvalConfig;
import dev.glimpse.util.GlimpseException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The decoding flags of the commands that generate text, and how many images they decode together. */
public final class DecodingOptions extends DecodingFlags {
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

  @Override
  public GenerationConfig config(int maxTextLength) {
    checkedBatchSize();
    return super.config(maxTextLength);
  }
}
