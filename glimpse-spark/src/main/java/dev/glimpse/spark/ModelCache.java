package dev.glimpse.spark;

import ai.djl.ndarray.NDManager;
import dev.glimpse.nn.Devices;
import dev.glimpse.train.LoadedModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.hadoop.conf.Configuration;

/**
 * The models of this JVM (one Spark executor, or the driver in local mode), one per checkpoint: the first
 * task that needs a checkpoint fetches and loads it while the executor's other tasks wait, then all of
 * them share it. Inference only reads the weights, so tasks run the same model at the same time; each
 * task's tensors live in its own sub-manager. A model stays loaded for the JVM's life (the next job on
 * the executor reuses it) until {@link #unload}.
 */
public final class ModelCache {
  private static final Map<String, Entry> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private ModelCache() {}

  /**
   * The model of {@code checkpoint}, loaded on first use; close the lease when done with it (an
   * {@link #unload} waits for the open leases).
   */
  public static Lease acquire(String checkpoint, Configuration conf) {
    return acquire(checkpoint, conf, 0);
  }

  /**
   * As {@link #acquire(String, Configuration)}; {@code threads} (if > 0) is the intra-op thread count
   * the engine starts with, when this load starts it.
   */
  public static Lease acquire(String checkpoint, Configuration conf, int threads) {
    while (true) {
      Entry entry = MODELS.computeIfAbsent(checkpoint, Entry::new);
      Lease lease = entry.lease(conf, threads);
      if (lease != null) {
        return lease;
      }
      // unloaded between lookup and lease: look again
    }
  }

  /** Models loaded by this JVM so far (every checkpoint; a reload after {@link #unload} counts again). */
  public static int loads() {
    return LOADS.get();
  }

  /** Times this JVM has loaded {@code checkpoint}. */
  public static int loads(String checkpoint) {
    Entry e = MODELS.get(checkpoint);
    return e == null ? 0 : e.loads.get();
  }

  /** Frees the native memory of {@code checkpoint}'s model once the tasks using it are done. */
  public static void unload(String checkpoint) {
    Entry e = MODELS.remove(checkpoint);
    if (e != null) {
      e.close();
    }
  }

  /** Unloads every model. */
  public static void unloadAll() {
    for (String checkpoint : MODELS.keySet()) {
      unload(checkpoint);
    }
  }

  /** A task's use of a loaded model. */
  public static final class Lease implements AutoCloseable {
    private final Entry entry;
    private boolean closed;

    private Lease(Entry entry) {
      this.entry = entry;
    }

    public LoadedModel model() {
      return entry.model;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        entry.lock.readLock().unlock();
      }
    }
  }

  private static final class Entry {
    final String checkpoint;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final AtomicInteger loads = new AtomicInteger();
    NDManager manager;
    LoadedModel model;
    boolean closed;

    Entry(String checkpoint) {
      this.checkpoint = checkpoint;
    }

    /** A lease on the loaded model (loading it first if needed), or null if this entry was unloaded. */
    Lease lease(Configuration conf, int threads) {
      lock.readLock().lock();
      if (model == null && !closed) {
        lock.readLock().unlock();
        lock.writeLock().lock();
        try {
          if (model == null && !closed) {
            load(conf, threads);
          }
          lock.readLock().lock(); // downgrade: keep reading while others may now read too
        } finally {
          lock.writeLock().unlock();
        }
      }
      if (closed) {
        lock.readLock().unlock();
        return null;
      }
      return new Lease(this);
    }

    private void load(Configuration conf, int threads) {
      Path dir = CheckpointFiles.local(checkpoint, conf);
      Engines.prepare(threads);
      NDManager m = Devices.cpuManager();
      try {
        model = LoadedModel.load(dir, m);
        manager = m;
      } catch (RuntimeException e) {
        m.close();
        throw e;
      }
      loads.incrementAndGet();
      LOADS.incrementAndGet();
    }

    void close() {
      lock.writeLock().lock();
      try {
        closed = true;
        if (model != null) {
          model.close();
          manager.close();
          model = null;
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
  }
}
