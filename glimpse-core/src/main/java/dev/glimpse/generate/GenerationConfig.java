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
    return greedy(maxNewTokens).with(b -> {
      b.strategy = Strategy.BEAM;
      b.numBeams = numBeams;
      b.lengthPenalty = lengthPenalty;
      b.earlyStopping = earlyStopping;
    });
  }

  public static GenerationConfig sample(int maxNewTokens, double temperature, int topK, double topP, long seed) {
    return greedy(maxNewTokens).with(b -> {
      b.strategy = Strategy.SAMPLE;
      b.temperature = temperature;
      b.topK = topK;
      b.topP = topP;
      b.seed = seed;
    });
  }

  public GenerationConfig withCache(boolean cache) {
    return with(b -> b.useCache = cache);
  }

  public GenerationConfig withMaxNewTokens(int n) {
    return with(b -> b.maxNewTokens = n);
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public GenerationConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link GenerationConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public Strategy strategy;
    public int maxNewTokens;
    public int numBeams;
    public double lengthPenalty;
    public boolean earlyStopping;
    public double temperature;
    public int topK;
    public double topP;
    public long seed;
    public boolean useCache;

    public Builder(GenerationConfig from) {
      strategy = from.strategy;
      maxNewTokens = from.maxNewTokens;
      numBeams = from.numBeams;
      lengthPenalty = from.lengthPenalty;
      earlyStopping = from.earlyStopping;
      temperature = from.temperature;
      topK = from.topK;
      topP = from.topP;
      seed = from.seed;
      useCache = from.useCache;
    }

    public GenerationConfig build() {
      return new GenerationConfig(strategy, maxNewTokens, numBeams, lengthPenalty, earlyStopping, temperature, topK,
          topP, seed, useCache);
    }
  }
}
