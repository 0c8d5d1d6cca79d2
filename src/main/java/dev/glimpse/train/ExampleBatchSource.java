package dev.glimpse.train;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.IndexSampler;
import dev.glimpse.data.ExampleBatcher;
import dev.glimpse.data.SampleException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micro-batches of any batch type ({@link dev.glimpse.data.LmBatch}, {@link dev.glimpse.data.PackedBatch})
 * drawn from a dataset by a seeded {@link IndexSampler}: batch (step, micro) always holds
 * the same examples. An example that cannot be read is skipped (the next index is taken) and counted.
 */
public class ExampleBatchSource<B> implements BatchSource<B> {
  private static final int MAX_CONSECUTIVE_FAILURES = 1000;

  private final Dataset dataset;
  private final ExampleBatcher<B> batcher;
  private final IndexSampler sampler;
  private final int batchSize;
  private final int microBatches;
  private final long seed;
  private final AtomicLong skipped = new AtomicLong();
  private volatile String lastSkipMessage;

  public ExampleBatchSource(Dataset dataset, ExampleBatcher<B> batcher, int batchSize, int microBatches, long seed) {
    this.dataset = dataset;
    this.batcher = batcher;
    this.sampler = new IndexSampler(dataset.size(), seed);
    this.batchSize = batchSize;
    this.microBatches = microBatches;
    this.seed = seed;
  }

  @Override
  public B batch(long step, int micro) {
    long slot = (step * microBatches + micro) * (long) batchSize;
    // Skips move later examples of this batch forward; other batches keep their own slots.
    List<Example> examples = new ArrayList<>(batchSize);
    long k = slot;
    int failures = 0;
    while (examples.size() < batchSize) {
      int index = sampler.index(k++ % ((long) dataset.size() * 1_000_000L));
      try {
        examples.add(dataset.get(index));
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
