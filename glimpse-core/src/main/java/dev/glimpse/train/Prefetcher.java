package dev.glimpse.train;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Builds upcoming micro-batches on a background thread (rendering, decoding and resizing images)
 * while the training thread computes. Batches come out in (step, micro) order.
 */
public final class Prefetcher<B> implements AutoCloseable {
  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private volatile boolean stopped;

  public Prefetcher(BatchSource<B> source, long firstStep, long endStep, int microBatches, int depth) {
    this.queue = new ArrayBlockingQueue<>(Math.max(1, depth));
    this.thread = new Thread(() -> {
      try {
        for (long step = firstStep; step < endStep && !stopped; step++) {
          for (int micro = 0; micro < microBatches && !stopped; micro++) {
            Object batch;
            try {
              batch = source.batch(step, micro);
            } catch (RuntimeException | Error e) {
              batch = new Failure(e);
            }
            while (!stopped && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
              // wait for room
            }
            if (batch instanceof Failure) {
              return;
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "glimpse-batches");
    thread.setDaemon(true);
    thread.start();
  }

  private record Failure(Throwable error) {}

  /** The next batch; rethrows a failure of the loader thread. */
  @SuppressWarnings("unchecked")
  public B next() {
    try {
      Object item = queue.take();
      if (item instanceof Failure f) {
        if (f.error instanceof RuntimeException r) {
          throw r;
        }
        throw (Error) f.error;
      }
      return (B) item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for data", e);
    }
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
