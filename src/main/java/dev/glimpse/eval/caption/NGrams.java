package dev.glimpse.eval.caption;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The toolkit's {@code precook}: n-gram counts of a tokenized sentence, split with Python's {@code
 * str.split()}. Kept per order ({@code get(k - 1)} holds the k-grams) and in first-occurrence order,
 * which is the order the toolkit's dicts iterate in (CIDEr sums floats in that order).
 */
final class NGrams {
  static final int MAX_N = 4;

  final List<Map<String, Integer>> counts;
  final int length;

  private NGrams(List<Map<String, Integer>> counts, int length) {
    this.counts = counts;
    this.length = length;
  }

  static NGrams of(String tokenized) {
    List<String> words = PythonStrings.split(tokenized);
    List<Map<String, Integer>> counts = new ArrayList<>(MAX_N);
    for (int k = 1; k <= MAX_N; k++) {
      Map<String, Integer> kgrams = new LinkedHashMap<>();
      for (int i = 0; i + k <= words.size(); i++) {
        // Words hold no whitespace, so a space-joined key is unambiguous.
        String ngram = k == 1 ? words.get(i) : String.join(" ", words.subList(i, i + k));
        kgrams.merge(ngram, 1, Integer::sum);
      }
      counts.add(kgrams);
    }
    return new NGrams(counts, words.size());
  }

  static List<NGrams> of(List<String> sentences) {
    List<NGrams> out = new ArrayList<>(sentences.size());
    for (String s : sentences) {
      out.add(of(s));
    }
    return out;
  }
}
