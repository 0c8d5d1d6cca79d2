package dev.glimpse.data;

/**
 * A training dataset whose example at an index also depends on how far training is, such as a
 * mixture whose share changes over the run ({@link ScheduledMixture}). The batch source passes the
 * progress of the step being built, so a resumed run sees the same examples as an uninterrupted one.
 */
public interface ScheduledDataset extends Dataset {
  /**
   * The example at {@code index} at {@code progress} of training: 0 at the first step, 1 at the
   * last.
   */
  Example get(int index, double progress);

  /** The example at the start of training ({@code progress} 0). */
  @Override
  default Example get(int index) {
    return get(index, 0);
  }
}
