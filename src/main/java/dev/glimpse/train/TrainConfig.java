package dev.glimpse.train;

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
    List<String> freeze) {

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

  /** Defaults for small runs: AdamW (0.9, 0.999, 1e-8), wd 0.05, clip 1.0, smoothing 0.1. */
  public static TrainConfig defaults(int steps, int batchSize, double learningRate) {
    return new TrainConfig(steps, batchSize, 1, learningRate, 0.1, Math.min(500, steps / 10), 0.05, 0.9, 0.999,
        1e-8, 1.0, 0.1, 42, 10, 0, 40);
  }

  public TrainConfig withSteps(int n) {
    return new TrainConfig(n, batchSize, gradAccumulation, learningRate, minLrRatio, Math.min(warmupSteps, n),
        weightDecay, beta1, beta2, eps, gradClip, labelSmoothing, seed, logEvery, checkpointEvery, maxTextTokens, freeze);
  }

  public TrainConfig withBatchSize(int n) {
    return new TrainConfig(steps, n, gradAccumulation, learningRate, minLrRatio, warmupSteps, weightDecay, beta1,
        beta2, eps, gradClip, labelSmoothing, seed, logEvery, checkpointEvery, maxTextTokens, freeze);
  }

  public TrainConfig withSeed(long s) {
    return new TrainConfig(steps, batchSize, gradAccumulation, learningRate, minLrRatio, warmupSteps, weightDecay,
        beta1, beta2, eps, gradClip, labelSmoothing, s, logEvery, checkpointEvery, maxTextTokens, freeze);
  }

  public TrainConfig withLogging(int logEveryN, int checkpointEveryN) {
    return new TrainConfig(steps, batchSize, gradAccumulation, learningRate, minLrRatio, warmupSteps, weightDecay,
        beta1, beta2, eps, gradClip, labelSmoothing, seed, logEveryN, checkpointEveryN, maxTextTokens, freeze);
  }

  public TrainConfig withGradAccumulation(int n) {
    return new TrainConfig(steps, batchSize, n, learningRate, minLrRatio, warmupSteps, weightDecay, beta1, beta2,
        eps, gradClip, labelSmoothing, seed, logEvery, checkpointEvery, maxTextTokens, freeze);
  }

  public TrainConfig withLearningRate(double lr, int warmup) {
    return new TrainConfig(steps, batchSize, gradAccumulation, lr, minLrRatio, warmup, weightDecay, beta1, beta2,
        eps, gradClip, labelSmoothing, seed, logEvery, checkpointEvery, maxTextTokens, freeze);
  }

  /** Settings without frozen parameters. */
  public TrainConfig(int steps, int batchSize, int gradAccumulation, double learningRate, double minLrRatio,
      int warmupSteps, double weightDecay, double beta1, double beta2, double eps, double gradClip,
      double labelSmoothing, long seed, int logEvery, int checkpointEvery, int maxTextTokens) {
    this(steps, batchSize, gradAccumulation, learningRate, minLrRatio, warmupSteps, weightDecay, beta1, beta2, eps,
        gradClip, labelSmoothing, seed, logEvery, checkpointEvery, maxTextTokens, List.of());
  }

  public TrainConfig withFreeze(List<String> prefixes) {
    return new TrainConfig(steps, batchSize, gradAccumulation, learningRate, minLrRatio, warmupSteps, weightDecay,
        beta1, beta2, eps, gradClip, labelSmoothing, seed, logEvery, checkpointEvery, maxTextTokens, prefixes);
  }

  /** Examples per optimizer step. */
  public int examplesPerStep() {
    return batchSize * gradAccumulation;
  }
}
