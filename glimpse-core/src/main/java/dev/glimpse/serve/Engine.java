package dev.glimpse.serve;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.glimpse.generate.BatchDecoder;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.Generated;
import dev.glimpse.model.DecodeState;
import dev.glimpse.nn.InferenceThread;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The continuous-batching scheduler of one captioning model: a bounded queue of requests and one
 * thread that owns the model. Each iteration the thread (1) runs side tasks (attention maps), (2)
 * admits waiting requests while the batch has room ({@code --max-batch} sequences; a request with
 * {@code n} choices takes n) and the admission rule lets them ({@link ServeOptions.Admission}: a
 * running batch takes waiting requests in groups, so that a prefill serves several), prefilling them
 * together and merging them into the running batch, and
 * (3) advances every running sequence by one token ({@link BatchDecoder#step}); a sequence that ends
 * leaves at once and its slot is free for the next admission. Requests that time out, and requests
 * whose client went away, are cancelled between two steps.
 */
final class Engine implements AutoCloseable {
  private final String name;
  private final Captioner captioner;
  private final NDManager manager;
  private final BatchDecoder batch;
  private final int maxBatch;
  private final int maxQueue;
  private final ServeOptions.Admission admission;
  private final ServerMetrics metrics;
  private final Object lock = new Object();
  private final Deque<Job> queue = new ArrayDeque<>();
  private final Deque<Runnable> tasks = new ArrayDeque<>();
  private final List<Job> running = new ArrayList<>();
  private final Thread thread;
  private boolean closing;
  private boolean waitForDrain; // the head of the queue cannot share the running batch's layout
  private long steps;           // decoding steps so far (under lock)
  /** Runs on the engine thread before each decoding step with the batch size; tests use it to gate steps. */
  volatile java.util.function.IntConsumer beforeStep;

  Engine(String name, Captioner captioner, NDManager parent, int maxBatch, int maxQueue,
      ServeOptions.Admission admission, ServerMetrics metrics) {
    this.name = name;
    this.captioner = captioner;
    this.manager = parent.newSubManager();
    this.batch = new BatchDecoder(captioner.model(), captioner.tokenizer().special().eos(), captioner.allowedVocab());
    this.maxBatch = maxBatch;
    this.maxQueue = maxQueue;
    this.admission = admission;
    this.metrics = metrics;
    this.thread = new Thread(this::loop, "glimpse-engine-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * Queues a request.
   *
   * @throws ApiException 429 (with Retry-After) when {@code --max-queue} requests are already waiting,
   *     503 when the server is shutting down
   */
  void submit(Job job) {
    synchronized (lock) {
      if (closing) {
        throw shutdownError();
      }
      if (queue.size() >= maxQueue) {
        throw new ApiException(429, "rate_limit_error", null, "queue_full", "the server is busy: " + queue.size()
            + " requests are waiting for model '" + name + "' (--max-queue " + maxQueue + "); retry later", 1L);
      }
      job.queuedAtStep = steps;
      queue.addLast(job);
      metrics.queueDepth(name, queue.size());
      lock.notifyAll();
    }
  }

  /** Cancels a request: a waiting one leaves the queue now, a running one leaves the batch before the next step. */
  void cancel(Job job) {
    job.cancelled = true;
    synchronized (lock) {
      if (queue.remove(job)) {
        metrics.queueDepth(name, queue.size());
      }
      lock.notifyAll();
    }
    List<BatchDecoder.Sequence> seqs = job.sequences;
    if (seqs != null) {
      seqs.forEach(BatchDecoder.Sequence::cancel);
    }
  }

  /** Runs {@code task} on the engine thread between two steps (the model is not thread-safe). */
  <T> CompletableFuture<T> call(Function<NDManager, T> task) {
    CompletableFuture<T> future = new CompletableFuture<>();
    synchronized (lock) {
      if (closing) {
        future.completeExceptionally(shutdownError());
        return future;
      }
      tasks.addLast(() -> {
        try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
          scope.suppressNotUsedWarning();
          future.complete(task.apply(m));
        } catch (RuntimeException e) {
          future.completeExceptionally(e);
        }
      });
      lock.notifyAll();
    }
    return future;
  }

  /**
   * Tensors held now on the engine's own manager, counted on the engine thread between two steps: the
   * running batch's (KV caches, visual prefixes), and none once every request has ended, else a server
   * that runs for days grows (tests check this).
   */
  CompletableFuture<Integer> liveTensors() {
    return call(m -> (int) manager.getManagedArrays().stream().filter(a -> !a.isReleased()).count());
  }

  /** Requests waiting to join the batch. */
  int queued() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Sequences being decoded now (read on any thread; exact on the engine thread). */
  int runningSequences() {
    return batch.size();
  }

  Captioner captioner() {
    return captioner;
  }

  private void loop() {
    InferenceThread.enter();
    while (true) {
      List<Runnable> todo;
      synchronized (lock) {
        while (!closing && queue.isEmpty() && tasks.isEmpty() && batch.size() == 0) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
          }
        }
        if (closing && batch.size() == 0 && tasks.isEmpty()) {
          break;
        }
        todo = new ArrayList<>(tasks);
        tasks.clear();
      }
      todo.forEach(Runnable::run);
      if (isClosing()) {
        ApiException shutdown = shutdownError();
        running.forEach(j -> fail(j, shutdown));
      }
      try {
        admit();
        expire();
        java.util.function.IntConsumer hook = beforeStep;
        if (hook != null && batch.size() > 0) {
          hook.accept(batch.size());
        }
        if (batch.size() > 0) {
          long t0 = System.nanoTime();
          batch.step(manager);
          metrics.decodeStep(name, (System.nanoTime() - t0) / 1e9);
          synchronized (lock) {
            steps++;
          }
        }
      } catch (RuntimeException | Error e) {
        // a failure inside the model: every running request fails, the batch starts afresh
        System.err.println("glimpse serve: decoding failed for model '" + name + "': " + e);
        ApiException error = new ApiException(500, "server_error", null, "internal_error",
            "decoding failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
            null);
        for (Job job : running) {
          fail(job, error);
        }
        batch.close();
      }
      running.removeIf(j -> j.finishedChoices == j.rows());
      metrics.runningBatch(name, batch.size());
    }
    ApiException shutdown = shutdownError();
    synchronized (lock) {
      queue.forEach(j -> j.events.failed(shutdown));
      queue.clear();
    }
    running.forEach(j -> fail(j, shutdown));
    batch.close();
    manager.close();
  }

  private boolean isClosing() {
    synchronized (lock) {
      return closing;
    }
  }

  private static ApiException shutdownError() {
    return new ApiException(503, "server_error", null, "shutting_down", "the server is shutting down", null);
  }

  // Takes waiting requests while they fit, prefills them as one batch and merges them into the running one.
  private void admit() {
    List<Job> take = new ArrayList<>();
    int rows = batch.size();
    synchronized (lock) {
      if (waitForDrain && rows > 0) {
        return;
      }
      waitForDrain = false;
      long now = System.nanoTime();
      for (java.util.Iterator<Job> it = queue.iterator(); it.hasNext(); ) {
        Job job = it.next();
        if (now - job.deadlineNanos > 0) {
          it.remove();
          job.events.failed(timeout());
        }
      }
      if (!queue.isEmpty() && !admission.admitNow(queue.size(), rows, steps - queue.peekFirst().queuedAtStep)) {
        metrics.queueDepth(name, queue.size());
        return;
      }
      while (!queue.isEmpty()) {
        Job job = queue.peekFirst();
        if (rows + job.rows() > maxBatch) {
          break;
        }
        queue.pollFirst();
        take.add(job);
        rows += job.rows();
      }
      metrics.queueDepth(name, queue.size());
    }
    if (take.isEmpty()) {
      return;
    }
    DecodeState state = null;
    long t0 = System.nanoTime();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      List<Captioner.Prepared> inputs = new ArrayList<>();
      List<int[]> prompts = new ArrayList<>();
      for (Job job : take) {
        inputs.add(job.input);
        prompts.add(job.promptIds);
      }
      state = captioner.prefillIds(inputs, prompts, manager);
      int[] promptTokens = new int[take.size()];
      for (int i = 0; i < take.size(); i++) {
        promptTokens[i] = state.promptTokens(i);
      }
      if (rows - batch.size() != take.size()) { // some request has n > 1: repeat its row once per choice
        long[] index = new long[rows - batch.size()];
        int k = 0;
        for (int i = 0; i < take.size(); i++) {
          for (int c = 0; c < take.get(i).rows(); c++) {
            index[k++] = i;
          }
        }
        state.select(manager.create(index));
      }
      if (!batch.canJoin(state)) {
        // a different visual layout (e.g. another native resolution): wait until the batch drains
        state.close();
        state = null;
        synchronized (lock) {
          for (int i = take.size() - 1; i >= 0; i--) {
            queue.addFirst(take.get(i));
          }
          waitForDrain = true;
        }
        return;
      }
      List<BatchDecoder.Sequence> sequences = new ArrayList<>();
      for (int i = 0; i < take.size(); i++) {
        Job job = take.get(i);
        List<BatchDecoder.Sequence> mine = new ArrayList<>();
        for (int c = 0; c < job.rows(); c++) {
          mine.add(new BatchDecoder.Sequence(job.choices.get(c), job.minTokens, listener(job, c)));
        }
        job.sequences = mine;
        if (job.cancelled) {
          mine.forEach(BatchDecoder.Sequence::cancel);
        }
        sequences.addAll(mine);
        job.events.started(promptTokens[i]);
        running.add(job);
      }
      batch.join(state, sequences);
      state = null;
      metrics.prefill(name, take.size(), (System.nanoTime() - t0) / 1e9);
    } catch (RuntimeException e) {
      if (state != null) {
        state.close();
      }
      System.err.println("glimpse serve: prefill failed for model '" + name + "': " + e);
      ApiException error = new ApiException(500, "server_error", null, "internal_error", "prefill failed: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), null);
      for (Job job : take) {
        if (!running.contains(job)) {
          job.failed = true;
          job.events.failed(error);
        }
      }
      throw e;
    }
  }

  // Requests past their deadline end with a timeout error.
  private void expire() {
    long now = System.nanoTime();
    for (Job job : running) {
      if (!job.failed && now - job.deadlineNanos > 0) {
        fail(job, timeout());
      }
    }
  }

  private void fail(Job job, ApiException error) {
    if (job.failed) {
      return;
    }
    job.failed = true;
    job.cancelled = true;
    List<BatchDecoder.Sequence> seqs = job.sequences;
    if (seqs != null) {
      seqs.forEach(BatchDecoder.Sequence::cancel);
    }
    job.events.failed(error);
  }

  private static ApiException timeout() {
    return new ApiException(504, "timeout_error", null, "request_timeout",
        "the request took longer than the server's --request-timeout", null);
  }

  private BatchDecoder.Listener listener(Job job, int choice) {
    TextStream text = new TextStream(captioner.tokenizer(), job.stops);
    return new BatchDecoder.Listener() {
      private int tokens;

      @Override
      public boolean token(int id) {
        tokens++;
        if (job.firstTokenNanos == 0) {
          job.firstTokenNanos = System.nanoTime();
          metrics.timeToFirstToken(name, (job.firstTokenNanos - job.arrivalNanos) / 1e9);
        }
        metrics.generatedTokens(name, 1);
        String delta = text.add(id);
        if (!delta.isEmpty() && !job.failed) {
          job.events.delta(choice, delta);
        }
        return text.stopped();
      }

      @Override
      public void finished(BatchDecoder.Finish reason, Generated generated) {
        job.finishedChoices++;
        if (reason == BatchDecoder.Finish.CANCELLED || job.failed) {
          return;
        }
        if (reason == BatchDecoder.Finish.STOP && job.firstTokenNanos == 0) { // EOS first: TTFT all the same
          job.firstTokenNanos = System.nanoTime();
          metrics.timeToFirstToken(name, (job.firstTokenNanos - job.arrivalNanos) / 1e9);
        }
        String rest = text.finish();
        if (!rest.isEmpty()) {
          job.events.delta(choice, rest);
        }
        job.events.finished(choice, reason == BatchDecoder.Finish.LENGTH ? "length" : "stop", text.text(), tokens);
      }
    };
  }

  /**
   * Stops taking requests, lets the running and queued ones finish (or fail when {@code cancel}), then
   * frees the model's batch.
   */
  void shutdown(boolean cancel, long waitMillis) {
    synchronized (lock) {
      if (cancel) {
        closing = true;
      }
      lock.notifyAll();
    }
    if (!cancel) {
      long end = System.currentTimeMillis() + waitMillis;
      while (System.currentTimeMillis() < end && (queued() > 0 || batch.size() > 0)) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      synchronized (lock) {
        closing = true;
        lock.notifyAll();
      }
    }
    try {
      thread.join(Math.max(1000, waitMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown(true, 5000);
  }
}
