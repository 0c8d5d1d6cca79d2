package dev.glimpse.spark;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * The tensor engine's per-thread state on Spark's task threads. PyTorch keeps the autograd switch
 * and the intra-op thread count per thread: DJL turns gradients off only on the thread that starts
 * the engine, and a new thread would use every core. A task therefore runs its model calls with
 * gradients off and with its own thread count, and gives the thread back as it found it (Spark reuses
 * task threads).
 */
final class Engines {
  private Engines() {}

  /** Before the engine starts in this JVM: never download an engine (the natives come in the jar). */
  static void prepare() {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  /**
   * Runs {@code work} on this thread with {@code threads} intra-op threads and no autograd.
   *
   * @param threads intra-op threads; 0 or less keeps the current count
   */
  static <T> T run(int threads, Supplier<T> work) {
    boolean grad = JniUtils.isGradMode();
    int before = JniUtils.getNumThreads();
    JniUtils.setGradMode(false);
    if (threads > 0 && threads != before) {
      JniUtils.setNumThreads(threads);
    }
    try {
      return work.get();
    } finally {
      if (threads > 0 && threads != before) {
        JniUtils.setNumThreads(before);
      }
      JniUtils.setGradMode(grad);
    }
  }
}
