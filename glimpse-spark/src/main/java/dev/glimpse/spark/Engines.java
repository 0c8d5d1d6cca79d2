package dev.glimpse.spark;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * The tensor engine's state on Spark's task threads. PyTorch keeps the autograd switch per thread (DJL
 * turns gradients off only on the thread that starts the engine), so a task runs its model calls with
 * gradients off and restores the switch after. The intra-op thread count is different: PyTorch's
 * setter also changes process-wide state (the BLAS library's thread count), so one task restoring a
 * larger count would hand every concurrent task's matrix products that many threads, and the
 * executor's cores would be oversubscribed many times over (measured: 18 instead of about 85 images/s
 * on two cores). Tasks therefore set their count and leave it set; every task of a job asks for the
 * same count, and the JVM starts the engine with it.
 */
final class Engines {
  private Engines() {}

  /**
   * Before the engine starts in this JVM: never download an engine (the natives come in the jar), and
   * start with {@code threads} intra-op threads unless the user chose a count.
   */
  static void prepare(int threads) {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (threads > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    }
  }

  /**
   * Runs {@code work} on this thread with {@code threads} intra-op threads and no autograd.
   *
   * @param threads intra-op threads; 0 or less keeps the current count
   */
  static <T> T run(int threads, Supplier<T> work) {
    if (threads > 0) {
      // always: the per-thread count may already read as wanted while the process-wide part differs
      JniUtils.setNumThreads(threads);
    }
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return work.get();
    } finally {
      JniUtils.setGradMode(grad);
    }
  }
}
