package dev.glimpse.train;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.IndexSampler;
import dev.glimpse.data.ExampleBatcher;
import dev.glimpse.data.SampleException;
import dev.glimpse.data.ScheduledDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micro-batches of any batch type ({@link dev.glimpse.data.LmBatch}, {@link dev.glimpse.data.PackedBatch})
 * drawn from a dataset by a seeded {@link IndexSampler}: batch (step, micro) always holds
 * the same examples. An example that cannot be read is skipped (the next index is taken) and counted.
 * A {@link ScheduledDataset} gets the progress of the step (step / (totalSteps - 1)), so it needs the
 * run's number of steps.
 */
public class ExampleBatchSource<B> implements BatchSource<B> {
  private static final int MAX_CONSECUTIVE_FAILURES = 1000;

  private final Dataset dataset;
  private final ExampleBatcher<B> batcher;
  private final IndexSampler sampler;
  private final int batchSize;
  private final int microBatches;
  private final long seed;
  private final long totalSteps;
  private final AtomicLong skipped = new AtomicLong();
  private volatile String lastSkipMessage;

  public ExampleBatchSource(Dataset dataset, ExampleBatcher<B> batcher, int batchSize, int microBatches, long seed) {
    this(dataset, batcher, batchSize, microBatches, seed, 0);
  }

  /**
   * @param totalSteps the run's number of optimizer steps (needed for a {@link ScheduledDataset}; 0
   *     for any other dataset)
   */
  public ExampleBatchSource(Dataset dataset, ExampleBatcher<B> batcher, int batchSize, int microBatches, long seed,
      long totalSteps) {
    if (dataset instanceof ScheduledDataset && totalSteps <= 0) {
      throw new IllegalArgumentException(dataset.name() + " changes over training and needs the run's number of steps");
    }
    this.dataset = dataset;
    this.batcher = batcher;
    this.sampler = new IndexSampler(dataset.size(), seed);
    this.batchSize = batchSize;
    this.microBatches = microBatches;
    this.seed = seed;
    this.totalSteps = totalSteps;
  }

  @Override
  public B batch(long step, int micro) {
    long slot = (step * microBatches + micro) * (long) batchSize;
    // Skips move later examples of this batch forward; other batches keep their own slots.
    List<Example> examples = new ArrayList<>(batchSize);
    long k = slot;
    int failures = 0;
    double progress = totalSteps > 1 ? Math.min(1, (double) step / (totalSteps - 1)) : 0;
    while (examples.size() < batchSize) {
      int index = sampler.index(k++ % ((long) dataset.size() * 1_000_000L));
      try {
        examples.add(dataset instanceof ScheduledDataset scheduled ? scheduled.get(index, progress) : dataset.get(index));
        failures = 0;
      } catch (SampleException e) {
        skipped.incrementAndGet();
        lastSkipMessage = e.getMessage();
        if (++failures >= MAX_CONSECUTIVE_FAILURES) {
          throw new dev.glimpse.util.GlimpseException(dataset.name() + ": " + failures
              + " unreadable examples in a row, last: " + e.getMessage());
        }
      }
    }
    SplittableRandom random = new SplittableRandom(seed ^ (step * 1_000_003L + micro) * 0x9E3779B97F4A7C15L);
    return batcher.batch(examples, random);
  }

  public long skipped() {
    return skipped.get();
  }

  public String lastSkipMessage() {
    return lastSkipMessage;
  }
}
