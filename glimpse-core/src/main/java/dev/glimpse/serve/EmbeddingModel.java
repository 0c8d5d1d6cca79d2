package dev.glimpse.serve;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.google.gson.JsonObject;
import dev.glimpse.nn.InferenceThread;
import dev.glimpse.train.LoadedModel;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** An embedding model (CLIP): requests run one at a time on the model's thread, behind a bounded queue. */
final class EmbeddingModel extends ServedModel {
  final LoadedModel loaded;
  final ClipEmbedder embedder;
  private final ThreadPoolExecutor executor;
  private final int maxQueue;

  EmbeddingModel(String name, Path source, LoadedModel loaded, ClipEmbedder embedder, int maxQueue) {
    super(name, source);
    this.loaded = loaded;
    this.embedder = embedder;
    this.maxQueue = maxQueue;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, maxQueue)),
        r -> {
          Thread t = new Thread(InferenceThread.wrap(r), "glimpse-embed-" + name);
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  String kind() {
    return "embeddings";
  }

  @Override
  JsonObject describe() {
    JsonObject o = super.describe();
    o.addProperty("dimensions", embedder.dimensions());
    return o;
  }

  /**
   * Runs {@code work} on the model's thread.
   *
   * @throws ApiException 429 when {@code --max-queue} requests already wait
   */
  <T> CompletableFuture<T> submit(Function<NDManager, T> work) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try (NDScope scope = new NDScope(); NDManager m = loaded.manager().newSubManager()) {
          scope.suppressNotUsedWarning();
          return work.apply(m);
        }
      }, executor);
    } catch (RejectedExecutionException e) {
      if (executor.isShutdown()) {
        throw new ApiException(503, "server_error", null, "shutting_down", "the server is shutting down", null);
      }
      throw new ApiException(429, "rate_limit_error", null, "queue_full", "the server is busy: " + maxQueue
          + " requests are waiting for model '" + name + "' (--max-queue); retry later", 1L);
    }
  }

  @Override
  void shutdown(boolean drain, long waitMillis) {
    executor.shutdown();
    try {
      if (!drain || !executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown(false, 0);
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loaded.close();
  }
}
