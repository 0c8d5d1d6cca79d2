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
 * through the decoder (image + text positions) and MFU = model FLOP/s over the fp32 matmul peak
 * measured in the same run.
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

  public static Result run(String name, GitConfig config, int batchSize, int textTokens, int steps, double peakGflops) {
    try (NDManager manager = Devices.cpuManager(); ParameterStore store = new ParameterStore(manager, 1)) {
      GitModel model = new GitModel(store.root(), config);
      LmBatch batch = randomBatch(config, batchSize, textTokens);
      TrainConfig train = TrainConfig.defaults().with(t -> {
        t.steps = steps + 1;
        t.batchSize = batchSize;
        t.learningRate = 1e-4;
        t.minLrRatio = 1;
        t.warmupSteps = 0;
        t.weightDecay = 0.01;
        t.seed = 1;
        t.logEvery = 1000;
        t.maxTextTokens = textTokens + 1;
      });
      try (AdamW opt = AdamW.of(store, train)) {
        Trainer<LmBatch> trainer = new Trainer<>(train, store, new LmObjective(model, 0.1), (s, m) -> batch, opt,
            RunLog.none(), null, true);
        trainer.run(TrainerState.start(), 1); // warm-up step (allocations, kernels)
        long t0 = System.nanoTime();
        trainer.run(new TrainerState(1, 0, 0, 0), steps + 1);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int imageTokens = config.imageTokens();
        double examplesPerSecond = batchSize * steps / seconds;
        double flops = 3.0 * 2.0 * config.forwardMacs(textTokens) * examplesPerSecond;
        return new Result(name, examplesPerSecond * (imageTokens + textTokens), examplesPerSecond * textTokens,
            examplesPerSecond, flops / 1e9, flops / 1e9 / peakGflops, seconds / steps, store.count());
      }
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
