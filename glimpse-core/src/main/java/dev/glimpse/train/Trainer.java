package dev.glimpse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.google.gson.JsonObject;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Progress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one training loop every recipe uses: micro-batches with gradient accumulation (the {@link
 * Objective} back-propagates each), a finite-loss check, global-norm clipping, AdamW with warmup +
 * cosine, a JSONL record every {@code logEvery} steps with the loss, its named parts and stats,
 * checkpoints every {@code checkpointEvery} steps and at the end. Each step runs in its own NDScope so
 * native memory stays flat.
 */
public final class Trainer<B> {
  /** Saves a checkpoint after {@code state.step()} steps. */
  @FunctionalInterface
  public interface Checkpointer {
    void save(TrainerState state);
  }

  /** Summary of a finished run. */
  public record Result(TrainerState state, double lastLoss, double tokensPerSecond, double examplesPerSecond) {}

  private final TrainConfig config;
  private final ParameterStore params;
  private final Objective<B> objective;
  private final BatchSource<B> batches;
  private final AdamW optimizer;
  private final RunLog log;
  private final Checkpointer checkpointer;
  private final boolean quiet;

  public Trainer(TrainConfig config, ParameterStore params, Objective<B> objective, BatchSource<B> batches,
      AdamW optimizer, RunLog log, Checkpointer checkpointer, boolean quiet) {
    this.config = config;
    this.params = params;
    this.objective = objective;
    this.batches = batches;
    this.optimizer = optimizer;
    this.log = log;
    this.checkpointer = checkpointer;
    this.quiet = quiet;
  }

  /** Trains from {@code start} (a fresh state or one read from a checkpoint) to {@code config.steps()}. */
  public Result run(TrainerState start) {
    return run(start, config.steps());
  }

  /**
   * Trains from {@code start} up to step {@code stopAt} (at most {@code config.steps()}; the schedule
   * still spans all steps), writing a checkpoint there: an interruption a later run resumes from.
   */
  public Result run(TrainerState start, long stopAt) {
    long end = Math.min(stopAt, config.steps());
    LrSchedule schedule = LrSchedule.of(config);
    int accumulation = config.gradAccumulation();
    long examples = start.examples();
    long tokens = start.tokens();
    double lastLoss = Double.NaN;
    long runStart = System.nanoTime();
    long runTokens = 0;
    long runExamples = 0;
    long windowStart = System.nanoTime();
    long windowTokens = 0;
    TrainerState state = start;
    try (Prefetcher<B> prefetch = new Prefetcher<>(batches, start.step(), end, accumulation, 3);
        Progress progress = new Progress("train", start.step(), config.steps(), quiet)) {
      for (long step = start.step(); step < end; step++) {
        double loss = 0;
        Map<String, Double> parts = new LinkedHashMap<>();
        Map<String, Double> stats = new LinkedHashMap<>();
        long stepTokens = 0;
        double gradNorm;
        double lr = schedule.at(step);
        try (NDScope scope = new NDScope(); NDManager stepManager = params.manager().newSubManager()) {
          scope.suppressNotUsedWarning();
          optimizer.beginStep(step); // groups with a start step begin training here
          Objective.Step at = new Objective.Step(stepManager, step, config.steps(), accumulation);
          for (int micro = 0; micro < accumulation; micro++) {
            B batch = prefetch.next();
            Objective.Loss l = objective.backward(batch, at);
            loss += l.value().getFloat() / accumulation;
            for (Map.Entry<String, NDArray> part : l.components().entrySet()) {
              parts.merge(part.getKey(), (double) part.getValue().getFloat() / accumulation, Double::sum);
            }
            stats.putAll(l.stats());
            stepTokens += l.tokens();
          }
          if (!Double.isFinite(loss)) {
            optimizer.zeroGradients();
            throw new GlimpseException("loss is " + loss + " at step " + (step + 1)
                + "; training stopped, the last checkpoint is kept (try a lower learning rate)"
                + (parts.size() > 1 ? " (parts: " + parts + ")" : ""));
          }
          gradNorm = optimizer.clipGradients(config.gradClip());
          optimizer.step(lr);
        }
        lastLoss = loss;
        examples += (long) config.batchSize() * accumulation;
        runExamples += (long) config.batchSize() * accumulation;
        tokens += stepTokens;
        runTokens += stepTokens;
        windowTokens += stepTokens;
        double elapsed = start.seconds() + (System.nanoTime() - runStart) / 1e9;
        state = new TrainerState(step + 1, examples, tokens, elapsed);
        if ((step + 1) % config.logEvery() == 0 || step + 1 == end) {
          double window = (System.nanoTime() - windowStart) / 1e9;
          JsonObject record = new JsonObject();
          record.addProperty("step", step + 1);
          record.addProperty("loss", loss);
          parts.forEach(record::addProperty);
          stats.forEach(record::addProperty);
          record.addProperty("lr", lr);
          record.addProperty("grad_norm", gradNorm);
          record.addProperty("tokens_per_s", windowTokens / Math.max(window, 1e-9));
          record.addProperty("examples", examples);
          record.addProperty("elapsed_s", elapsed);
          log.write(record);
          windowStart = System.nanoTime();
          windowTokens = 0;
        }
        progress.step(step + 1, String.format("loss %.4f lr %.2e", loss, lr));
        boolean last = step + 1 == end;
        if (checkpointer != null
            && (last || (config.checkpointEvery() > 0 && (step + 1) % config.checkpointEvery() == 0))) {
          checkpointer.save(state);
        }
      }
    }
    double seconds = (System.nanoTime() - runStart) / 1e9;
    return new Result(state, lastLoss, runTokens / Math.max(seconds, 1e-9), runExamples / Math.max(seconds, 1e-9));
  }
}
