package dev.glimpse.data.loaders;

import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.util.GlimpseException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams examples from WebDataset tar shards ({@code .tar}, {@code .tar.gz}): each rank reads its
 * own subset of the shards, samples pass through a seeded shuffle buffer, and a pool of threads
 * decodes and resizes the images (plain Java2D, no tensors), so the training thread only converts
 * pixels. Damaged shards, corrupt images and samples missing their image or text are skipped with
 * counted warnings; iteration always goes on.
 *
 * <pre>{@code
 * try (WebDataset data = WebDataset.builder()
 *     .shards("shards/train-{000000..000099}.tar")
 *     .shuffleShards(true).shuffleBuffer(2000).seed(42)
 *     .rank(rank, worldSize)
 *     .decodeThreads(2).resize(Resize.square(224))
 *     .build()) {
 *   for (int epoch = 0; epoch < epochs; epoch++) {
 *     try (WebDataset.Epoch examples = data.epoch(epoch)) {
 *       while (examples.hasNext()) { Example e = examples.next(); ... }
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Pipeline of one epoch: a reader thread reads this rank's shards in order (shuffled per epoch
 * if asked), groups tar entries into samples, passes them through the shuffle buffer and numbers
 * them; decoding threads take numbered samples from a bounded queue and hand examples to a
 * bounded reorder buffer, from which the consumer takes them in number order. Both bounds give
 * back-pressure, so memory stays at about {@code shuffleBuffer} raw samples plus {@code prefetch}
 * decoded ones. The order depends only on the shards, seed, epoch, rank and world size, never on
 * the number of decoding threads (unless {@code ordered(false)} trades that for a little speed).
 *
 * <p>Sharding: the shard list (shuffled by seed and epoch when {@code shuffleShards}) is dealt
 * round-robin, rank {@code r} taking shards {@code r, r + worldSize, ...}; every rank must use the
 * same shard list and seed. Ranks may get different sample counts when shards differ in size.
 */
public final class WebDataset implements Iterable<Example>, AutoCloseable {
  /**
   * Counters over all epochs.
   *
   * @param cpuNanos CPU time of the reading and decoding threads of finished epochs (0 where the JVM
   *     cannot measure thread CPU time): the load-independent cost of loading
   */
  public record Stats(
      long shardsRead, long shardsDamaged, long samplesRead, long samplesSkipped, long examplesDelivered,
      long bytesRead, long cpuNanos) {}

  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final List<Path> shards;
  private final int shuffleBuffer;
  private final boolean shuffleShards;
  private final long seed;
  private final int rank;
  private final int worldSize;
  private final int decodeThreads;
  private final int prefetch;
  private final boolean ordered;
  private final SampleDecoder decoder;
  private final SkipLog log;
  private final String threadPrefix;

  private final AtomicLong shardsRead = new AtomicLong();
  private final AtomicLong shardsDamaged = new AtomicLong();
  private final AtomicLong samplesRead = new AtomicLong();
  private final AtomicLong samplesSkipped = new AtomicLong();
  private final AtomicLong examplesDelivered = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong cpuNanos = new AtomicLong();
  private final AtomicInteger nextEpoch = new AtomicInteger();
  private final Set<Epoch> open = ConcurrentHashMap.newKeySet();

  private WebDataset(Builder b, List<Path> shards) {
    this.shards = shards;
    this.shuffleBuffer = b.shuffleBuffer;
    this.shuffleShards = b.shuffleShards;
    this.seed = b.seed;
    this.rank = b.rank;
    this.worldSize = b.worldSize;
    this.decodeThreads = b.decodeThreads;
    this.prefetch = b.prefetch > 0 ? b.prefetch : Math.max(8, 4 * b.decodeThreads);
    this.ordered = b.ordered;
    this.decoder = new SampleDecoder(b.resize);
    this.log = b.log != null ? b.log : new SkipLog(b.name);
    this.threadPrefix = "glimpse-wds-" + INSTANCES.incrementAndGet() + "-";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** All shards, in pattern order (before shuffling and splitting across ranks). */
  public List<Path> shards() {
    return shards;
  }

  /** The shards this rank reads in {@code epoch}, in reading order. */
  public List<Path> shardsFor(int epoch) {
    List<Path> order = new ArrayList<>(shards);
    if (shuffleShards) {
      Collections.shuffle(order, new Random(mix(seed, epoch, -1)));
    }
    List<Path> mine = new ArrayList<>();
    for (int i = rank; i < order.size(); i += worldSize) {
      mine.add(order.get(i));
    }
    return mine;
  }

  /** Starts reading epoch {@code epoch}: shard and sample order depend on it. Close it when done. */
  public Epoch epoch(int epoch) {
    Epoch e = new Epoch(epoch);
    open.add(e);
    e.start();
    return e;
  }

  /**
   * Starts the next epoch (0, 1, 2... on successive calls), so {@code for (Example e : data)} in a
   * loop reshuffles each time. Its threads stop at the end of the epoch, or on {@link #close()}.
   */
  @Override
  public Epoch iterator() {
    return epoch(nextEpoch.getAndIncrement());
  }

  /** The examples of {@code epoch} as a stream; closing the stream stops the threads. */
  public Stream<Example> stream(int epoch) {
    Epoch e = epoch(epoch);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(e, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(e::close);
  }

  public Stats stats() {
    return new Stats(
        shardsRead.get(), shardsDamaged.get(), samplesRead.get(), samplesSkipped.get(), examplesDelivered.get(),
        bytesRead.get(), cpuNanos.get());
  }

  public long skippedCount() {
    return samplesSkipped.get();
  }

  public int decodeThreads() {
    return decodeThreads;
  }

  /** Stops the threads of every epoch still open. */
  @Override
  public void close() {
    for (Epoch e : List.copyOf(open)) {
      e.close();
    }
  }

  private static long threadCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    return threads.isCurrentThreadCpuTimeSupported() ? Math.max(0, threads.getCurrentThreadCpuTime()) : 0;
  }

  private static long mix(long seed, long epoch, long stream) {
    long h = seed * 0x9E3779B97F4A7C15L + epoch;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + stream;
    return h ^ (h >>> 29);
  }

  /** One pass over this rank's shards; an iterator that owns threads until the end or close(). */
  public final class Epoch implements Iterator<Example>, AutoCloseable {
    /** Marks the end of the work queue for one decoding thread. */
    private static final Work POISON = new Work(-1, null);

    private record Work(long sequence, ShardReader.RawSample sample) {}

    /** A decoded example, or the reason its sample was skipped. */
    private record Result(Example example, String skipReason) {}

    private final int epoch;
    private final BlockingQueue<Work> work;
    private final ReorderBuffer<Result> results;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    private Example next;
    private boolean finished;

    private Epoch(int epoch) {
      this.epoch = epoch;
      this.work = new ArrayBlockingQueue<>(Math.max(2, 2 * decodeThreads));
      this.results = new ReorderBuffer<>(ordered, prefetch);
    }

    private void start() {
      threads.add(new Thread(this::readShards, threadPrefix + "reader"));
      for (int i = 0; i < decodeThreads; i++) {
        threads.add(new Thread(this::decodeLoop, threadPrefix + "decode-" + i));
      }
      for (Thread t : threads) {
        t.setDaemon(true);
        t.start();
      }
    }

    public int number() {
      return epoch;
    }

    @Override
    public boolean hasNext() {
      while (next == null && !finished) {
        Result result;
        try {
          result = results.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new GlimpseException("interrupted while reading shards", e);
        } catch (RuntimeException e) {
          close();
          throw e;
        }
        if (result == null) {
          finished = true;
          close();
        } else if (result.example() != null) {
          next = result.example();
        }
      }
      return next != null;
    }

    @Override
    public Example next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Example example = next;
      next = null;
      examplesDelivered.incrementAndGet();
      return example;
    }

    /** Stops and joins this epoch's threads; idempotent. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      results.close();
      for (Thread t : threads) {
        t.interrupt();
      }
      for (Thread t : threads) {
        try {
          t.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      open.remove(this);
    }

    private void readShards() {
      long cpuStart = threadCpuNanos();
      try {
        List<ShardReader.RawSample> buffer = new ArrayList<>();
        Random random = new Random(mix(seed, epoch, rank));
        long[] counter = {0};
        ShardReader.Events events =
            new ShardReader.Events() {
              @Override
              public void sample(ShardReader.RawSample sample) throws InterruptedException {
                samplesRead.incrementAndGet();
                if (shuffleBuffer <= 1) {
                  work.put(new Work(counter[0]++, sample));
                  return;
                }
                // WebDataset's buffer: once full, each new sample swaps out a random one.
                if (buffer.size() < shuffleBuffer) {
                  buffer.add(sample);
                  return;
                }
                int i = random.nextInt(buffer.size());
                ShardReader.RawSample out = buffer.get(i);
                buffer.set(i, sample);
                work.put(new Work(counter[0]++, out));
              }

              @Override
              public void skipped(String reason) {
                samplesRead.incrementAndGet();
                skip(reason);
              }

              @Override
              public void damaged(Path shard, String problem, int samplesBefore) {
                if (closed) {
                  return;
                }
                shardsDamaged.incrementAndGet();
                log.warn("shard " + shard + " is damaged after " + samplesBefore + " samples (" + problem
                    + "); continuing with the next shard");
              }
            };
        for (Path shard : shardsFor(epoch)) {
          if (closed) {
            return;
          }
          shardsRead.incrementAndGet();
          ShardReader.read(shard, bytesRead, events);
        }
        while (!buffer.isEmpty()) {
          int i = random.nextInt(buffer.size());
          ShardReader.RawSample out = buffer.get(i);
          buffer.set(i, buffer.get(buffer.size() - 1));
          buffer.remove(buffer.size() - 1);
          work.put(new Work(counter[0]++, out));
        }
        results.finish(counter[0]);
        for (int i = 0; i < decodeThreads; i++) {
          work.put(POISON);
        }
      } catch (InterruptedException e) {
        // closed
      } catch (RuntimeException | Error e) {
        results.fail(new GlimpseException("reading shards failed: " + e, e));
      } finally {
        cpuNanos.addAndGet(threadCpuNanos() - cpuStart);
      }
    }

    private void decodeLoop() {
      long cpuStart = threadCpuNanos();
      try {
        while (true) {
          Work item = work.take();
          if (item == POISON) {
            return;
          }
          Result result;
          try {
            result = new Result(decoder.decode(item.sample()), null);
          } catch (SampleException e) {
            result = new Result(null, e.getMessage());
          } catch (RuntimeException e) {
            // A decoder bug on one odd file (Java2D, ImageIO internals) must not end the epoch.
            result = new Result(null, item.sample().shard() + ":" + item.sample().key() + ": " + e);
          }
          if (result.skipReason() != null) {
            skip(result.skipReason());
          }
          results.put(item.sequence(), result);
        }
      } catch (InterruptedException e) {
        // closed
      } catch (Error e) {
        results.fail(new GlimpseException("decoding failed: " + e, e));
      } finally {
        cpuNanos.addAndGet(threadCpuNanos() - cpuStart);
      }
    }

    private void skip(String reason) {
      if (!closed) {
        samplesSkipped.incrementAndGet();
        log.skip(reason);
      }
    }
  }

  /** Options; {@link #shards} is required, everything else has a default. */
  public static final class Builder {
    private final List<String> patterns = new ArrayList<>();
    private final List<Path> paths = new ArrayList<>();
    private int shuffleBuffer;
    private boolean shuffleShards;
    private long seed;
    private int rank;
    private int worldSize = 1;
    private int decodeThreads = Runtime.getRuntime().availableProcessors();
    private int prefetch;
    private boolean ordered = true;
    private Resize resize;
    private SkipLog log;
    private String name = "webdataset";

    private Builder() {}

    /** Shard files or patterns: brace ranges and lists, globs in the file name ({@link ShardPatterns}). */
    public Builder shards(String... patterns) {
      this.patterns.addAll(List.of(patterns));
      return this;
    }

    public Builder shards(List<Path> files) {
      this.paths.addAll(files);
      return this;
    }

    /** Samples held for shuffling; 0 or 1 keeps the shard order. Default 0. */
    public Builder shuffleBuffer(int samples) {
      if (samples < 0) {
        throw new GlimpseException("shuffle buffer must be >= 0, got " + samples);
      }
      this.shuffleBuffer = samples;
      return this;
    }

    /** Whether the shard order is shuffled each epoch (by seed and epoch). Default false. */
    public Builder shuffleShards(boolean shuffle) {
      this.shuffleShards = shuffle;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** This process's rank among {@code worldSize} data-parallel ranks. Default 0 of 1. */
    public Builder rank(int rank, int worldSize) {
      if (worldSize < 1 || rank < 0 || rank >= worldSize) {
        throw new GlimpseException("rank must be in 0.." + (worldSize - 1) + " for world size " + worldSize
            + ", got rank " + rank);
      }
      this.rank = rank;
      this.worldSize = worldSize;
      return this;
    }

    /** Threads decoding and resizing images. Default: the number of available processors. */
    public Builder decodeThreads(int threads) {
      if (threads < 1 || threads > 256) {
        throw new GlimpseException("decode threads must be in 1..256, got " + threads);
      }
      this.decodeThreads = threads;
      return this;
    }

    /** Decoded examples held ahead of the consumer. Default max(8, 4 x threads). */
    public Builder prefetch(int examples) {
      if (examples < 1) {
        throw new GlimpseException("prefetch must be at least 1, got " + examples);
      }
      this.prefetch = examples;
      return this;
    }

    /**
     * True (default): the output order is fixed by seed and epoch whatever the thread count.
     * False: examples come out as soon as decoded (same set, order varies with timing).
     */
    public Builder ordered(boolean ordered) {
      this.ordered = ordered;
      return this;
    }

    /** Resize on the decoding threads; default none (images keep their size, as 8-bit RGB). */
    public Builder resize(Resize resize) {
      this.resize = resize;
      return this;
    }

    /** Where skipped samples and damaged shards are reported; default the log, under the name. */
    public Builder skipLog(SkipLog log) {
      this.log = log;
      return this;
    }

    /** Name in warnings. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public WebDataset build() {
      List<Path> shards = new ArrayList<>(paths);
      if (!patterns.isEmpty()) {
        shards.addAll(ShardPatterns.expand(patterns));
      }
      if (shards.isEmpty()) {
        throw new GlimpseException("no shards given");
      }
      if (shards.size() < worldSize) {
        throw new GlimpseException(shards.size() + " shards cannot be split across " + worldSize
            + " ranks; each rank needs at least one shard");
      }
      return new WebDataset(this, List.copyOf(shards));
    }
  }
}
