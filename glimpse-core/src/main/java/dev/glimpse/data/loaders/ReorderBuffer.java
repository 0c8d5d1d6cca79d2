package dev.glimpse.data.loaders;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where decoding threads hand their results to the consumer. In ordered mode results come out by
 * sequence number, whatever thread finished first, so the output is the same for any number of
 * threads; a thread whose result is {@code capacity} or more ahead of the next one to deliver waits
 * (back-pressure). The result that is due can always be added, so this cannot deadlock while the
 * work queue hands out sequence numbers in order. In unordered mode results come out as they
 * arrive, at most {@code capacity} waiting.
 */
final class ReorderBuffer<T> {
  private final boolean ordered;
  private final int capacity;
  private final Map<Long, T> waiting = new HashMap<>();
  private final ArrayDeque<T> arrived = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long delivered;
  private long total = Long.MAX_VALUE;
  private RuntimeException failure;
  private boolean closed;

  ReorderBuffer(boolean ordered, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.ordered = ordered;
    this.capacity = capacity;
  }

  /** Adds result {@code sequence}, waiting while it is too far ahead (ordered) or the buffer is full. */
  void put(long sequence, T result) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (!closed && (ordered ? sequence >= delivered + capacity : arrived.size() >= capacity)) {
        changed.await();
      }
      if (closed) {
        return;
      }
      if (ordered) {
        waiting.put(sequence, result);
      } else {
        arrived.add(result);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** No sequence number at or above {@code count} will come. */
  void finish(long count) {
    lock.lock();
    try {
      total = count;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** A producer failed unexpectedly: the consumer gets this exception. */
  void fail(RuntimeException e) {
    lock.lock();
    try {
      if (failure == null) {
        failure = e;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes everyone; take returns null and put drops its result from now on. */
  void close() {
    lock.lock();
    try {
      closed = true;
      waiting.clear();
      arrived.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The next result, or null at the end (or after close). */
  T take() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (true) {
        if (failure != null) {
          throw failure;
        }
        if (closed || delivered >= total) {
          return null;
        }
        T result = ordered ? waiting.remove(delivered) : arrived.poll();
        if (result != null) {
          delivered++;
          changed.signalAll();
          return result;
        }
        changed.await();
      }
    } finally {
      lock.unlock();
    }
  }
}
