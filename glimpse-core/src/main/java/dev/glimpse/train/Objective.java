package dev.glimpse.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.glimpse.nn.Scalars;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a design learns from one micro-batch: the loss, its named parts and how it back-propagates. The
 * {@link Trainer} does everything else (accumulation, clipping, the optimizer, logging).
 *
 * <p>Most objectives only compute a loss ({@link #loss}); the default {@link #backward} records it and
 * back-propagates it at once. An objective that must run the batch in several passes (gradient
 * caching for contrastive batches larger than memory, {@link GradientCache}) overrides {@link
 * #backward} and leaves the same gradients as the plain pass would.
 */
public interface Objective<B> {
  /** Runs the forward pass (inside the trainer's gradient collector) and returns the loss. */
  Loss loss(B batch, Step step);

  /**
   * Computes the loss and accumulates the gradients of {@code loss / step.microBatches()} into the
   * parameters. One {@link GradientCollector} at a time may exist in the JVM: the trainer opens none
   * around this call.
   */
  default Loss backward(B batch, Step step) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      Loss l = loss(batch, step);
      collector.backward(Scalars.div(l.value(), step.microBatches()));
      return l;
    }
  }

  /**
   * Where a training step stands.
   *
   * @param manager where the step's tensors are created (closed by the trainer after the step)
   * @param index the step being taken, from 0
   * @param totalSteps the run's number of steps (schedules such as a temperature follow it)
   * @param microBatches micro-batches accumulated into this step (each loss is divided by it)
   */
  record Step(NDManager manager, long index, long totalSteps, int microBatches) {
    /** A step outside a run (tests, benchmarks): step 0 of 1, one micro-batch. */
    public static Step of(NDManager manager) {
      return new Step(manager, 0, 1, 1);
    }

    /** The fraction of the run done before this step, in [0, 1]. */
    public double progress() {
      return totalSteps > 1 ? Math.min(1, (double) index / (totalSteps - 1)) : 0;
    }
  }

  /**
   * A scalar loss and what it is made of.
   *
   * @param value the scalar that is back-propagated
   * @param tokens target tokens (or examples) it averages over, for throughput figures
   * @param components its named parts ({@code loss_lm}, {@code loss_itc}, ...), scalars logged per step
   *     and drawn as their own curves; a single objective names itself
   * @param stats other scalars worth following (a learned temperature), logged as they are
   */
  record Loss(NDArray value, long tokens, Map<String, NDArray> components, Map<String, Double> stats) {
    public Loss {
      // in the order given: logs and plots list the parts as the objective names them
      components = components == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(components));
      stats = stats == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(stats));
    }

    /** A loss with no named parts. */
    public Loss(NDArray value, long tokens) {
      this(value, tokens, Map.of(), Map.of());
    }

    /** A loss that is one named part ({@code loss_lm}). */
    public static Loss named(String name, NDArray value, long tokens) {
      return new Loss(value, tokens, Map.of(name, value), Map.of());
    }

    /** This loss with another stat. */
    public Loss withStat(String name, double value) {
      Map<String, Double> more = new LinkedHashMap<>(stats);
      more.put(name, value);
      return new Loss(this.value, tokens, components, more);
    }
  }
}
