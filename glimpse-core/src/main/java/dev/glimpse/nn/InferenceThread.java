package dev.glimpse.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd recording is a per-thread switch in libtorch, on by default in every new thread; DJL turns
 * it off only on the thread that starts the engine. A thread that runs models for inference turns it
 * off first: otherwise every operation on trainable parameters records a graph, and each tensor kept
 * across steps (a decoding batch's KV cache, its logits, the visual prefix) keeps every intermediate
 * tensor of every step that led to it alive, gigabytes for a serving batch, until the tensor is freed.
 * Training threads are not affected: a gradient collector turns recording on for its own scope.
 */
public final class InferenceThread {
  private InferenceThread() {}

  /** Turns autograd recording off on the calling thread (a no-op on engines other than PyTorch). */
  public static void enter() {
    if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
      JniUtils.setGradMode(false);
    }
  }

  /** Whether the calling thread records autograd graphs (false on engines other than PyTorch). */
  public static boolean recording() {
    return "PyTorch".equals(Engine.getInstance().getEngineName()) && JniUtils.isGradMode();
  }

  /**
   * Runs {@code work} on a thread of its own that ends with it, and returns its result (its exception
   * is rethrown here). For libtorch work done once before a long-lived inference thread takes over
   * (loading a model to serve): GNU OpenMP keeps a team of worker threads for every thread that has
   * run a parallel region, and once the teams outnumber the cores every worker spins only briefly
   * before sleeping, which slows each small parallel region of the serving thread; the team of a
   * thread that has ended is gone.
   */
  public static <T> T runOnce(String name, java.util.function.Supplier<T> work) {
    java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(() -> {
      enter();
      return work.get();
    });
    Thread thread = new Thread(task, name);
    thread.start();
    try {
      thread.join();
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + name + " ran", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** {@code task} run with recording off on whatever thread runs it. */
  public static Runnable wrap(Runnable task) {
    return () -> {
      enter();
      task.run();
    };
  }
}
