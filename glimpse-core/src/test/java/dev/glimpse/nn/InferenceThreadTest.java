package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.util.GlimpseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * libtorch's autograd switch is per thread and on in every new thread (DJL turns it off only on the
 * thread that starts the engine); {@link InferenceThread} turns it off where models run for inference.
 * What it saves is measured in docs/serve.md (a serving batch held 2.9 times the memory with it on).
 */
class InferenceThreadTest {
  private record Seen(boolean before, boolean after) {}

  @Test
  void aNewThreadRecordsUntilItEntersInference() throws Exception {
    ai.djl.engine.Engine.getInstance(); // started here, as a program starts it on its main thread
    assertFalse(InferenceThread.recording(), "DJL turns recording off on the thread that starts the engine");
    CompletableFuture<Seen> seen = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        boolean before = InferenceThread.recording();
        InferenceThread.enter();
        seen.complete(new Seen(before, InferenceThread.recording()));
      } catch (Throwable e) {
        seen.completeExceptionally(e);
      }
    });
    t.start();
    Seen s = seen.get(60, TimeUnit.SECONDS);
    assertTrue(s.before(), "libtorch's default on a new thread: the reason for InferenceThread");
    assertFalse(s.after());
  }

  @Test
  void wrappedTasksRunWithoutRecording() throws Exception {
    ai.djl.engine.Engine.getInstance();
    CompletableFuture<Boolean> recording = new CompletableFuture<>();
    Thread t = new Thread(InferenceThread.wrap(() -> recording.complete(InferenceThread.recording())));
    t.start();
    assertFalse(recording.get(60, TimeUnit.SECONDS));
  }

  /** Work run once on a thread of its own: its result or its exception comes back, and the thread is gone. */
  @Test
  void runOnceReturnsItsResultOrRethrowsFromAThreadThatEnds() {
    ai.djl.engine.Engine.getInstance();
    Thread[] ran = new Thread[1];
    boolean recording = InferenceThread.runOnce("probe", () -> {
      ran[0] = Thread.currentThread();
      return InferenceThread.recording();
    });
    assertFalse(recording, "the thread entered inference first");
    assertTrue(ran[0] != Thread.currentThread() && !ran[0].isAlive(), "its own thread, ended");
    assertEquals("probe", ran[0].getName());
    GlimpseException bad = assertThrows(GlimpseException.class,
        () -> InferenceThread.runOnce("probe", () -> {
          throw new GlimpseException("model.safetensors: missing x");
        }));
    assertEquals("model.safetensors: missing x", bad.getMessage(), "the same exception, not a wrapper");
  }
}
