package dev.glimpse.spark;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where the tasks of this JVM spent their time: reading and decoding inputs, and running the model
 * (summed over tasks). In local mode the driver is the executor, so {@code bench spark} reads them to
 * split a job's time into model, input and Spark's own work.
 */
public final class TaskStats {
  private static final LongAdder INPUT_NANOS = new LongAdder();
  private static final LongAdder MODEL_NANOS = new LongAdder();
  private static final LongAdder ROWS = new LongAdder();

  private TaskStats() {}

  static void input(long nanos) {
    INPUT_NANOS.add(nanos);
  }

  static void model(long nanos, int rows) {
    MODEL_NANOS.add(nanos);
    ROWS.add(rows);
  }

  /** Seconds spent reading and decoding inputs, over all tasks so far. */
  public static double inputSeconds() {
    return INPUT_NANOS.sum() / 1e9;
  }

  /** Seconds spent in the model, over all tasks so far. */
  public static double modelSeconds() {
    return MODEL_NANOS.sum() / 1e9;
  }

  /** Rows that went through the model so far. */
  public static long rows() {
    return ROWS.sum();
  }
}
