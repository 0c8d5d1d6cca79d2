package dev.glimpse.eval.caption;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU-1..4 exactly as pycocoevalcap's {@code Bleu(4)} ({@code BleuScorer.compute_score(option=
 * 'closest')}).
 *
 * <p>Corpus BLEU-n pools clipped n-gram matches over all images; the reference length of an image
 * is the reference length closest to the candidate's (ties: the shorter). The toolkit's {@code
 * tiny = 1e-15} and {@code small = 1e-9} terms are kept, so a perfect match scores about {@code 1 -
 * 3e-10}, not 1. The per-image values ({@code bleu_list}) apply a per-sentence brevity penalty.
 *
 * <p>Inputs are PTB-tokenized strings ({@link PtbTokenizer}); {@code refs.get(i)} are the references
 * of the image whose candidate is {@code candidates.get(i)}.
 */
public final class Bleu {
  private static final double TINY = 1e-15;
  private static final double SMALL = 1e-9;

  /** What the toolkit prints with verbose=1: pooled lengths and n-gram counts. */
  public record Stats(long testLength, long refLength, long[] guess, long[] correct) {}

  /** BLEU-1..4: {@code scores.get(n - 1)} is BLEU-n. */
  public record Result(List<CorpusScore> scores, Stats stats) {}

  private Bleu() {}

  public static Result score(List<List<String>> refs, List<String> candidates) {
    List<List<NGrams>> refGrams = new ArrayList<>(refs.size());
    for (List<String> r : refs) {
      refGrams.add(NGrams.of(r));
    }
    return scoreGrams(refGrams, NGrams.of(candidates));
  }

  static Result scoreGrams(List<List<NGrams>> refs, List<NGrams> candidates) {
    Checks.aligned(refs, candidates);
    int images = candidates.size();
    int n = NGrams.MAX_N;
    double[][] perImage = new double[n][images];
    long testLength = 0;
    long refLength = 0;
    long[] guess = new long[n];
    long[] correct = new long[n];
    for (int i = 0; i < images; i++) {
      NGrams candidate = candidates.get(i);
      int testLen = candidate.length;
      int refLen = closestLength(refs.get(i), testLen);
      long[] imageCorrect = clippedMatches(refs.get(i), candidate);
      testLength += testLen;
      refLength += refLen;
      double bleu = 1.0;
      for (int k = 0; k < n; k++) {
        long imageGuess = Math.max(0, testLen - k);
        guess[k] += imageGuess;
        correct[k] += imageCorrect[k];
        bleu *= (imageCorrect[k] + TINY) / (imageGuess + SMALL);
        perImage[k][i] = Math.pow(bleu, 1.0 / (k + 1));
      }
      double ratio = (testLen + TINY) / (refLen + SMALL);
      if (ratio < 1) {
        for (int k = 0; k < n; k++) {
          perImage[k][i] *= Math.exp(1 - 1 / ratio);
        }
      }
    }
    double[] corpus = new double[n];
    double bleu = 1.0;
    for (int k = 0; k < n; k++) {
      bleu *= (correct[k] + TINY) / (guess[k] + SMALL);
      corpus[k] = Math.pow(bleu, 1.0 / (k + 1));
    }
    double ratio = (testLength + TINY) / (refLength + SMALL);
    if (ratio < 1) {
      for (int k = 0; k < n; k++) {
        corpus[k] *= Math.exp(1 - 1 / ratio);
      }
    }
    List<CorpusScore> scores = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      scores.add(new CorpusScore(corpus[k], perImage[k]));
    }
    return new Result(scores, new Stats(testLength, refLength, guess, correct));
  }

  /** {@code min((abs(l - testlen), l) for l in reflens)[1]}. */
  private static int closestLength(List<NGrams> refs, int testLen) {
    int best = -1;
    for (NGrams ref : refs) {
      int l = ref.length;
      if (best < 0
          || Math.abs(l - testLen) < Math.abs(best - testLen)
          || (Math.abs(l - testLen) == Math.abs(best - testLen) && l < best)) {
        best = l;
      }
    }
    return best;
  }

  /** Per order: candidate n-gram counts clipped by the maximum count in any one reference. */
  private static long[] clippedMatches(List<NGrams> refs, NGrams candidate) {
    long[] correct = new long[NGrams.MAX_N];
    for (int k = 0; k < NGrams.MAX_N; k++) {
      Map<String, Integer> maxCounts = new HashMap<>();
      for (NGrams ref : refs) {
        ref.counts.get(k).forEach((ngram, count) -> maxCounts.merge(ngram, count, Math::max));
      }
      for (Map.Entry<String, Integer> e : candidate.counts.get(k).entrySet()) {
        correct[k] += Math.min(maxCounts.getOrDefault(e.getKey(), 0), e.getValue());
      }
    }
    return correct;
  }
}
