package dev.glimpse.bench;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.data.LmBatch;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.GitModel;
import dev.glimpse.nn.Devices;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.train.AdamW;
import dev.glimpse.train.LmObjective;
import dev.glimpse.train.RunLog;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.train.Trainer;
import dev.glimpse.train.TrainerState;
import java.util.SplittableRandom;

/**
 * Training throughput of GIT configs on random data (no data loading in the measurement): tokens/s
 * through the decoder (image + text positions) and MFU = model FLOP/s over an fp32 matmul peak
 * measured in the same run. A {@link Session} holds one config's model and optimizer, so several
 * configs can be timed alternately over rounds ({@link Rounds}).
 */
public final class TrainBench {
  private TrainBench() {}

  /** Figures for one config. */
  public record Result(String name, double tokensPerSecond, double textTokensPerSecond, double examplesPerSecond,
      double modelGflops, double mfu, double secondsPerStep, long parameters) {
    public JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("tokens_per_s", tokensPerSecond);
      o.addProperty("text_tokens_per_s", textTokensPerSecond);
      o.addProperty("examples_per_s", examplesPerSecond);
      o.addProperty("model_gflops_per_s", modelGflops);
      o.addProperty("mfu", mfu);
      o.addProperty("seconds_per_step", secondsPerStep);
      o.addProperty("parameters", parameters);
      return o;
    }
  }

  /** Times {@code steps} steps once, after a warm-up step, and reports against {@code peakGflops}. */
  public static Result run(String name, GitConfig config, int batchSize, int textTokens, int steps, double peakGflops) {
    try (Session session = new Session(name, config, batchSize, textTokens, steps, 1)) {
      return session.result(session.secondsPerStep(), peakGflops);
    }
  }

  /**
   * One config's model, optimizer and random batch, warmed up by one step on construction; {@link
   * #secondsPerStep} times {@code steps} more steps each call.
   */
  public static final class Session implements AutoCloseable {
    private final String name;
    private final GitConfig config;
    private final int batchSize;
    private final int textTokens;
    private final int steps;
    private final NDManager manager;
    private final ParameterStore store;
    private final AdamW optimizer;
    private final Trainer<LmBatch> trainer;
    private long done;

    /** @param timings how many times {@link #secondsPerStep} will be called (sizes the schedule) */
    public Session(String name, GitConfig config, int batchSize, int textTokens, int steps, int timings) {
      this.name = name;
      this.config = config;
      this.batchSize = batchSize;
      this.textTokens = textTokens;
      this.steps = steps;
      this.manager = Devices.cpuManager();
      this.store = new ParameterStore(manager, 1);
      GitModel model = new GitModel(store.root(), config);
      LmBatch batch = randomBatch(config, batchSize, textTokens);
      TrainConfig train = TrainConfig.defaults().with(t -> {
        t.steps = steps * timings + 1;
        t.batchSize = batchSize;
        t.learningRate = 1e-4;
        t.minLrRatio = 1;
        t.warmupSteps = 0;
        t.weightDecay = 0.01;
        t.seed = 1;
        t.logEvery = 1000;
        t.maxTextTokens = textTokens + 1;
      });
      this.optimizer = AdamW.of(store, train);
      this.trainer = new Trainer<>(train, store, new LmObjective(model, 0.1), (s, m) -> batch, optimizer,
          RunLog.none(), null, true);
      trainer.run(TrainerState.start(), 1); // warm-up step (allocations, kernels)
      done = 1;
    }

    public String name() {
      return name;
    }

    public GitConfig config() {
      return config;
    }

    /** Seconds per step over {@code steps} more steps. */
    public double secondsPerStep() {
      long t0 = System.nanoTime();
      trainer.run(new TrainerState(done, 0, 0, 0), done + steps);
      double seconds = (System.nanoTime() - t0) / 1e9;
      done += steps;
      return seconds / steps;
    }

    /** The figures of a step time against a matmul peak. */
    public Result result(double secondsPerStep, double peakGflops) {
      int imageTokens = config.imageTokens();
      double examplesPerSecond = batchSize / secondsPerStep;
      double flops = 3.0 * 2.0 * config.forwardMacs(textTokens) * examplesPerSecond;
      return new Result(name, examplesPerSecond * (imageTokens + textTokens), examplesPerSecond * textTokens,
          examplesPerSecond, flops / 1e9, flops / 1e9 / peakGflops, secondsPerStep, store.count());
    }

    @Override
    public void close() {
      optimizer.close();
      store.close();
      manager.close();
    }
  }

  static LmBatch randomBatch(GitConfig config, int b, int t) {
    SplittableRandom r = new SplittableRandom(3);
    int side = config.imageSize();
    float[] pixels = new float[b * 3 * side * side];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) r.nextGaussian();
    }
    long[] ids = new long[b * t];
    long[] targets = new long[b * t];
    float[] ones = new float[b * t];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(config.vocabSize());
      targets[i] = r.nextInt(config.vocabSize());
      ones[i] = 1;
    }
    String[] names = new String[b];
    java.util.Arrays.fill(names, "random");
    return new LmBatch(new long[] {b, 3, side, side}, pixels, b, t, ids, targets, ones, ones.clone(), names);
  }
}
