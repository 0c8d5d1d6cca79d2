package dev.glimpse.eval.caption;

import java.util.Arrays;

/** An open-addressing {@code long -> int} map for n-gram interning (no boxing). Not thread-safe. */
final class LongIntMap {
  private static final long EMPTY = Long.MIN_VALUE;

  private long[] keys = new long[1 << 12];
  private int[] values = new int[1 << 12];
  private int size;

  LongIntMap() {
    Arrays.fill(keys, EMPTY);
  }

  /**
   * The value of {@code key}, or {@code valueIfAbsent} after storing it. Key must not be
   * Long.MIN_VALUE.
   */
  int getOrPut(long key, int valueIfAbsent) {
    int mask = keys.length - 1;
    int slot = mix(key) & mask;
    while (keys[slot] != EMPTY) {
      if (keys[slot] == key) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    values[slot] = valueIfAbsent;
    if (++size * 2 > keys.length) {
      grow();
    }
    return valueIfAbsent;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    int mask = keys.length - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int slot = mix(oldKeys[i]) & mask;
        while (keys[slot] != EMPTY) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
  }

  private static int mix(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }
}
