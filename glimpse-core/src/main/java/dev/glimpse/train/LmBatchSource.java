package dev.glimpse.train;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.LmBatch;
import dev.glimpse.data.LmBatcher;

/** {@link ExampleBatchSource} of padded language-modelling batches. */
public final class LmBatchSource extends ExampleBatchSource<LmBatch> {
  public LmBatchSource(Dataset dataset, LmBatcher batcher, int batchSize, int microBatches, long seed) {
    super(dataset, batcher, batchSize, microBatches, seed);
  }

  /** @param totalSteps the run's number of steps, for a {@link dev.glimpse.data.ScheduledDataset} */
  public LmBatchSource(Dataset dataset, LmBatcher batcher, int batchSize, int microBatches, long seed, long totalSteps) {
    super(dataset, batcher, batchSize, microBatches, seed, totalSteps);
  }
}
