package dev.glimpse.train;

import dev.glimpse.nn.ParameterGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Optimisation settings of one run. Validated on construction; messages name the field.
 *
 * @param steps optimizer steps
 * @param batchSize examples per micro-batch
 * @param gradAccumulation micro-batches per optimizer step
 * @param learningRate peak learning rate after warmup
 * @param minLrRatio final learning rate as a fraction of the peak (cosine decay)
 * @param warmupSteps linear warmup from 0
 * @param weightDecay decoupled (AdamW) decay, applied to weight matrices only
 * @param gradClip max global gradient norm (0 = off)
 * @param labelSmoothing LM label smoothing (GIT: 0.1)
 * @param seed seeds initialisation and data order
 * @param logEvery steps between log records
 * @param checkpointEvery steps between checkpoints (0 = only at the end)
 * @param maxTextTokens longest token sequence (prompt + target + BOS/EOS) fed to the model
 * @param freeze parameter-name prefixes kept fixed during training (e.g. {@code "vision."}: a
 *     pre-trained vision tower, LLaVA's first stage); each must match at least one parameter
 * @param groups parameter groups with their own learning-rate multiplier, weight decay and frozen
 *     flag ({@link ParameterGroup}); {@code freeze} entries are frozen groups too
 * @param gradientCacheChunk for contrastive objectives: examples embedded at once by gradient caching
 *     ({@link GradientCache}), so a batch larger than memory trains with the plain batch's gradients;
 *     null (the default) embeds the whole micro-batch at once
 * @param objective which of its objectives the model's design trains with (BLIP-2: {@code
 *     "representation"} for the Q-Former's ITC + ITM + ITG, {@code "generative"} for language
 *     modelling through the frozen LM); null for the design's default
 */
public record TrainConfig(
    int steps,
    int batchSize,
    int gradAccumulation,
    double learningRate,
    double minLrRatio,
    int warmupSteps,
    double weightDecay,
    double beta1,
    double beta2,
    double eps,
    double gradClip,
    double labelSmoothing,
    long seed,
    int logEvery,
    int checkpointEvery,
    int maxTextTokens,
    List<String> freeze,
    List<ParameterGroup> groups,
    Integer gradientCacheChunk,
    String objective) {

  public TrainConfig {
    if (freeze == null) {
      freeze = List.of();
    }
    for (String prefix : freeze) {
      if (prefix == null || prefix.isBlank()) {
        throw new IllegalArgumentException("freeze entries must be non-empty parameter-name prefixes, got " + freeze);
      }
    }
    freeze = List.copyOf(freeze);
    groups = groups == null ? List.of() : List.copyOf(groups); // recipes written before groups existed
    if (gradientCacheChunk != null && gradientCacheChunk <= 0) {
      throw new IllegalArgumentException("gradientCacheChunk must be > 0 (or left out), got " + gradientCacheChunk);
    }
    if (steps <= 0) {
      throw new IllegalArgumentException("steps must be > 0, got " + steps);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    if (gradAccumulation <= 0) {
      throw new IllegalArgumentException("gradAccumulation must be > 0, got " + gradAccumulation);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
    }
    if (minLrRatio < 0 || minLrRatio > 1) {
      throw new IllegalArgumentException("minLrRatio must be in [0, 1], got " + minLrRatio);
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
    }
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weightDecay must be >= 0, got " + weightDecay);
    }
    if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
      throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
    }
    if (!(eps > 0)) {
      throw new IllegalArgumentException("eps must be > 0, got " + eps);
    }
    if (gradClip < 0) {
      throw new IllegalArgumentException("gradClip must be >= 0, got " + gradClip);
    }
    if (labelSmoothing < 0 || labelSmoothing >= 1) {
      throw new IllegalArgumentException("labelSmoothing must be in [0, 1), got " + labelSmoothing);
    }
    if (logEvery <= 0) {
      throw new IllegalArgumentException("logEvery must be > 0, got " + logEvery);
    }
    if (checkpointEvery < 0) {
      throw new IllegalArgumentException("checkpointEvery must be >= 0, got " + checkpointEvery);
    }
    if (maxTextTokens < 3) {
      throw new IllegalArgumentException("maxTextTokens must be >= 3, got " + maxTextTokens);
    }
  }

  /**
   * Defaults for small runs: 1000 steps of 32, AdamW at 3e-4 (0.9, 0.999, 1e-8) with 100 warmup
   * steps and cosine decay to 10%, weight decay 0.05, clipping at 1.0, label smoothing 0.1 (GIT),
   * seed 42, a log record every 10 steps, a checkpoint at the end, 40 text tokens. Recipes change
   * what they need by name: {@code TrainConfig.defaults().withSteps(3000).with(t -> t.beta2 = 0.98)}.
   */
  public static TrainConfig defaults() {
    return new TrainConfig(1000, 32, 1, 3e-4, 0.1, 100, 0.05, 0.9, 0.999, 1e-8, 1.0, 0.1, 42, 10, 0, 40,
        List.of(), List.of(), null, null);
  }

  /** These settings for {@code n} steps (warmup shortened to fit). */
  public TrainConfig withSteps(int n) {
    return with(t -> {
      t.steps = n;
      t.warmupSteps = Math.min(t.warmupSteps, n);
    });
  }

  public TrainConfig withBatchSize(int n) {
    return with(t -> t.batchSize = n);
  }

  public TrainConfig withSeed(long s) {
    return with(t -> t.seed = s);
  }

  public TrainConfig withLogging(int logEveryN, int checkpointEveryN) {
    return with(t -> {
      t.logEvery = logEveryN;
      t.checkpointEvery = checkpointEveryN;
    });
  }

  public TrainConfig withGradAccumulation(int n) {
    return with(t -> t.gradAccumulation = n);
  }

  public TrainConfig withLearningRate(double lr, int warmup) {
    return with(t -> {
      t.learningRate = lr;
      t.warmupSteps = warmup;
    });
  }

  public TrainConfig withMaxTextTokens(int n) {
    return with(t -> t.maxTextTokens = n);
  }

  public TrainConfig withFreeze(List<String> prefixes) {
    return with(t -> t.freeze = prefixes);
  }

  public TrainConfig withGroups(List<ParameterGroup> parameterGroups) {
    return with(t -> t.groups = parameterGroups);
  }

  /** These settings training the design's objective {@code name} (null: its default). */
  public TrainConfig withObjective(String name) {
    return with(t -> t.objective = name);
  }

  /**
   * The parameter groups the optimizer uses: {@link #groups}, then every {@link #freeze} prefix as a
   * frozen group.
   */
  public List<ParameterGroup> parameterGroups() {
    List<ParameterGroup> all = new ArrayList<>(groups);
    for (String prefix : freeze) {
      all.add(ParameterGroup.frozen(prefix));
    }
    return all;
  }

  /** The gradient-caching chunk, 0 when the whole micro-batch is embedded at once. */
  public int contrastiveChunk() {
    return gradientCacheChunk == null ? 0 : gradientCacheChunk;
  }

  /** Examples per optimizer step. */
  public int examplesPerStep() {
    return batchSize * gradAccumulation;
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public TrainConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link TrainConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public int steps;
    public int batchSize;
    public int gradAccumulation;
    public double learningRate;
    public double minLrRatio;
    public int warmupSteps;
    public double weightDecay;
    public double beta1;
    public double beta2;
    public double eps;
    public double gradClip;
    public double labelSmoothing;
    public long seed;
    public int logEvery;
    public int checkpointEvery;
    public int maxTextTokens;
    public List<String> freeze;
    public List<ParameterGroup> groups;
    public Integer gradientCacheChunk;
    public String objective;

    public Builder(TrainConfig from) {
      steps = from.steps;
      batchSize = from.batchSize;
      gradAccumulation = from.gradAccumulation;
      learningRate = from.learningRate;
      minLrRatio = from.minLrRatio;
      warmupSteps = from.warmupSteps;
      weightDecay = from.weightDecay;
      beta1 = from.beta1;
      beta2 = from.beta2;
      eps = from.eps;
      gradClip = from.gradClip;
      labelSmoothing = from.labelSmoothing;
      seed = from.seed;
      logEvery = from.logEvery;
      checkpointEvery = from.checkpointEvery;
      maxTextTokens = from.maxTextTokens;
      freeze = from.freeze;
      groups = from.groups;
      gradientCacheChunk = from.gradientCacheChunk;
      objective = from.objective;
    }

    public TrainConfig build() {
      return new TrainConfig(steps, batchSize, gradAccumulation, learningRate, minLrRatio, warmupSteps, weightDecay,
          beta1, beta2, eps, gradClip, labelSmoothing, seed, logEvery, checkpointEvery, maxTextTokens, freeze,
          groups, gradientCacheChunk, objective);
    }
  }
}
