package dev.glimpse.data.loaders;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.util.GlimpseException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A dataset for training: samples that throw {@link SampleException} (missing file, corrupt image)
 * are skipped, counted and logged (the first few in full, then counts) instead of stopping the run.
 * A sample found bad is remembered and not read again. Thread-safe if the wrapped dataset is.
 *
 * <p>{@link #get} substitutes the next readable sample, so a batch keeps its size and a seeded
 * sampler keeps its order; {@link #iterator(int[])} leaves bad samples out. If {@link
 * #MAX_CONSECUTIVE_FAILURES} samples in a row cannot be read, something is wrong with the whole
 * dataset (wrong image folder, say) and a {@link GlimpseException} says so.
 */
public final class SkippingDataset implements Dataset {
  /** Consecutive unreadable samples that mean the dataset, not a sample, is broken. */
  public static final int MAX_CONSECUTIVE_FAILURES = 100;

  private final Dataset dataset;
  private final SkipLog log;
  private final Set<Integer> badIndices = ConcurrentHashMap.newKeySet();
  private final AtomicLong skipped = new AtomicLong();
  private volatile String lastProblem = "";

  public SkippingDataset(Dataset dataset) {
    this(dataset, new SkipLog(dataset.name()));
  }

  public SkippingDataset(Dataset dataset, SkipLog log) {
    this.dataset = dataset;
    this.log = log;
  }

  @Override
  public String name() {
    return dataset.name();
  }

  @Override
  public int size() {
    return dataset.size();
  }

  /**
   * The example at {@code index}, or if it cannot be read, the first readable one after it
   * (wrapping around at the end).
   */
  @Override
  public Example get(int index) {
    int size = dataset.size();
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " out of range for " + name() + " of size " + size);
    }
    int limit = Math.min(size, MAX_CONSECUTIVE_FAILURES);
    for (int attempt = 0; attempt < limit; attempt++) {
      int i = (index + attempt) % size;
      Optional<Example> example = tryGet(i);
      if (example.isPresent()) {
        return example.get();
      }
    }
    throw brokenDataset(limit, index);
  }

  /** The example at {@code index}, or empty (counted and logged) if it cannot be read. */
  public Optional<Example> tryGet(int index) {
    if (badIndices.contains(index)) {
      skipped.incrementAndGet();
      return Optional.empty();
    }
    try {
      return Optional.of(dataset.get(index));
    } catch (SampleException e) {
      skipped.incrementAndGet();
      lastProblem = e.getMessage();
      if (badIndices.add(index)) {
        log.skip("#" + index + ": " + e.getMessage());
      }
      return Optional.empty();
    }
  }

  /** The readable examples at {@code order}'s indices, in that order; bad ones are left out. */
  public Iterator<Example> iterator(int[] order) {
    int[] indices = order.clone();
    return new Iterator<>() {
      private int position;
      private Example next;

      @Override
      public boolean hasNext() {
        int failures = 0;
        while (next == null && position < indices.length) {
          int index = indices[position++];
          Optional<Example> example = tryGet(index);
          if (example.isPresent()) {
            next = example.get();
          } else if (++failures >= MAX_CONSECUTIVE_FAILURES) {
            throw brokenDataset(failures, index);
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
        return example;
      }
    };
  }

  /** How many times a sample was skipped (a bad sample counts again in each epoch). */
  public long skippedCount() {
    return skipped.get();
  }

  /** The distinct indices found unreadable so far, sorted. */
  public Set<Integer> badIndices() {
    return new TreeSet<>(badIndices);
  }

  public Dataset unwrap() {
    return dataset;
  }

  private GlimpseException brokenDataset(int failures, int index) {
    return new GlimpseException(failures + " samples in a row could not be read from " + name() + " (up to #" + index
        + "; last: " + lastProblem + "); is the data path right?");
  }
}
