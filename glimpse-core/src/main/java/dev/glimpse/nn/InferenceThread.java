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

  /** {@code task} run with recording off on whatever thread runs it. */
  public static Runnable wrap(Runnable task) {
    return () -> {
      enter();
      task.run();
    };
  }
}
