package dev.glimpse.eval.caption;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The toolkit's {@code precook}: n-gram counts (n = 1..4) of a tokenized sentence split with
 * Python's {@code str.split()}. N-grams are interned to int ids by a {@link Vocabulary} shared by
 * the whole corpus; per order, {@code ids[k - 1]} lists the distinct k-grams in first-occurrence
 * order, which is the order the toolkit's dicts iterate in (CIDEr sums floats in that order), and
 * {@code counts[k - 1]} their counts.
 */
final class NGrams {
  static final int MAX_N = 4;

  final int[][] ids = new int[MAX_N][];
  final int[][] counts = new int[MAX_N][];
  final int length;

  private NGrams(int length) {
    this.length = length;
  }

  /** Interns words and n-grams to dense ids (0..size-1) across all orders. Not thread-safe. */
  static final class Vocabulary {
    private final Map<String, Integer> words = new HashMap<>();
    // (id of an n-gram) << 32 | (id of the next word)  ->  id of the (n+1)-gram
    private final LongIntMap extensions = new LongIntMap();
    private int size;

    int size() {
      return size;
    }

    NGrams count(String sentence) {
      List<String> tokens = PythonStrings.split(sentence);
      int n = tokens.size();
      int[] wordIds = new int[n];
      for (int i = 0; i < n; i++) {
        Integer id = words.putIfAbsent(tokens.get(i), size);
        wordIds[i] = id == null ? size++ : id;
      }
      NGrams grams = new NGrams(n);
      int[] previous = wordIds; // ids of the (k-1)-grams starting at each position
      for (int k = 1; k <= MAX_N; k++) {
        int positions = Math.max(0, n - k + 1);
        int[] current = k == 1 ? wordIds : new int[positions];
        for (int i = 0; k > 1 && i < positions; i++) {
          int id = extensions.getOrPut(((long) previous[i] << 32) | wordIds[i + k - 1], size);
          if (id == size) {
            size++;
          }
          current[i] = id;
        }
        distinct(current, grams, k - 1);
        previous = current;
      }
      return grams;
    }

    /** Distinct ids in first-occurrence order, with counts (sentences are short: a linear scan). */
    private static void distinct(int[] occurrences, NGrams grams, int order) {
      int[] ids = new int[occurrences.length];
      int[] counts = new int[occurrences.length];
      int distinct = 0;
      outer:
      for (int id : occurrences) {
        for (int j = 0; j < distinct; j++) {
          if (ids[j] == id) {
            counts[j]++;
            continue outer;
          }
        }
        ids[distinct] = id;
        counts[distinct++] = 1;
      }
      grams.ids[order] = Arrays.copyOf(ids, distinct);
      grams.counts[order] = Arrays.copyOf(counts, distinct);
    }
  }
}
