package dev.glimpse.generate;

/**
 * How to decode.
 *
 * @param strategy greedy, beam search or sampling
 * @param maxNewTokens tokens to generate at most (after the prompt)
 * @param numBeams beams for beam search
 * @param lengthPenalty beam score = sum log p / generated_length^lengthPenalty (as HuggingFace)
 * @param earlyStopping beam search stops a row as soon as numBeams hypotheses have ended
 * @param temperature sampling temperature (> 0)
 * @param topK keep the k most likely tokens when sampling (0 = all)
 * @param topP nucleus sampling mass (1 = all)
 * @param seed sampling seed
 * @param useCache decode with the KV cache (false recomputes the whole sequence each step)
 */
public record GenerationConfig(
    Strategy strategy,
    int maxNewTokens,
    int numBeams,
    double lengthPenalty,
    boolean earlyStopping,
    double temperature,
    int topK,
    double topP,
    long seed,
    boolean useCache) {

  public enum Strategy {
    GREEDY,
    BEAM,
    SAMPLE
  }

  public GenerationConfig {
    if (maxNewTokens <= 0) {
      throw new IllegalArgumentException("maxNewTokens must be > 0, got " + maxNewTokens);
    }
    if (numBeams <= 0) {
      throw new IllegalArgumentException("numBeams must be > 0, got " + numBeams);
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0, got " + topK);
    }
    if (!(topP > 0) || topP > 1) {
      throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }
  }

  public static GenerationConfig greedy(int maxNewTokens) {
    return new GenerationConfig(Strategy.GREEDY, maxNewTokens, 1, 1.0, false, 1.0, 0, 1.0, 0, true);
  }

  public static GenerationConfig beam(int maxNewTokens, int numBeams, double lengthPenalty, boolean earlyStopping) {
    return new GenerationConfig(Strategy.BEAM, maxNewTokens, numBeams, lengthPenalty, earlyStopping, 1.0, 0, 1.0, 0,
        true);
  }

  public static GenerationConfig sample(int maxNewTokens, double temperature, int topK, double topP, long seed) {
    return new GenerationConfig(Strategy.SAMPLE, maxNewTokens, 1, 1.0, false, temperature, topK, topP, seed, true);
  }

  public GenerationConfig withCache(boolean cache) {
    return new GenerationConfig(strategy, maxNewTokens, numBeams, lengthPenalty, earlyStopping, temperature, topK,
        topP, seed, cache);
  }

  public GenerationConfig withMaxNewTokens(int n) {
    return new GenerationConfig(strategy, n, numBeams, lengthPenalty, earlyStopping, temperature, topK, topP, seed,
        useCache);
  }
}
