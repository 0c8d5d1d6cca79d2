package dev.glimpse.eval.caption;

import java.util.ArrayList;
import java.util.List;

/**
 * BLEU-1..4 exactly as pycocoevalcap's {@code Bleu(4)} ({@code BleuScorer.compute_score(option=
 * 'closest')}).
 *
 * <p>Corpus BLEU-n pools clipped n-gram matches over all images; the reference length of an image
 * is the reference length closest to the candidate's (ties: the shorter). The toolkit's {@code tiny
 * = 1e-15} and {@code small = 1e-9} terms are kept, so a perfect match scores about {@code 1 -
 * 3e-10}, not 1. The per-image values ({@code bleu_list}) apply a per-sentence brevity penalty.
 *
 * <p>Inputs are PTB-tokenized strings ({@link PtbTokenizer}); {@code refs.get(i)} are the
 * references of the image whose candidate is {@code candidates.get(i)}.
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
    Checks.aligned(refs, candidates);
    CorpusGrams grams = CorpusGrams.of(refs, candidates);
    return scoreGrams(grams);
  }

  static Result scoreGrams(CorpusGrams grams) {
    int images = grams.candidates.size();
    int n = NGrams.MAX_N;
    int[] refLengths = new int[images];
    long[][] imageCorrect = new long[images][];
    Parallel.ranges(
        images,
        64,
        (from, to) -> {
          int[] maxCounts = new int[grams.vocabularySize];
          for (int i = from; i < to; i++) {
            refLengths[i] = closestLength(grams.refs.get(i), grams.candidates.get(i).length);
            imageCorrect[i] = clippedMatches(grams.refs.get(i), grams.candidates.get(i), maxCounts);
          }
        });
    double[][] perImage = new double[n][images];
    long testLength = 0;
    long refLength = 0;
    long[] guess = new long[n];
    long[] correct = new long[n];
    for (int i = 0; i < images; i++) {
      int testLen = grams.candidates.get(i).length;
      testLength += testLen;
      refLength += refLengths[i];
      double bleu = 1.0;
      for (int k = 0; k < n; k++) {
        long imageGuess = Math.max(0, testLen - k);
        guess[k] += imageGuess;
        correct[k] += imageCorrect[i][k];
        bleu *= (imageCorrect[i][k] + TINY) / (imageGuess + SMALL);
        perImage[k][i] = Math.pow(bleu, 1.0 / (k + 1));
      }
      double ratio = (testLen + TINY) / (refLengths[i] + SMALL);
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

  /**
   * Per order: candidate n-gram counts clipped by the maximum count in any one reference. {@code
   * maxCounts} is scratch space indexed by n-gram id, all zero on entry and on return.
   */
  private static long[] clippedMatches(List<NGrams> refs, NGrams candidate, int[] maxCounts) {
    long[] correct = new long[NGrams.MAX_N];
    for (NGrams ref : refs) {
      for (int k = 0; k < NGrams.MAX_N; k++) {
        for (int j = 0; j < ref.ids[k].length; j++) {
          maxCounts[ref.ids[k][j]] = Math.max(maxCounts[ref.ids[k][j]], ref.counts[k][j]);
        }
      }
    }
    for (int k = 0; k < NGrams.MAX_N; k++) {
      for (int j = 0; j < candidate.ids[k].length; j++) {
        correct[k] += Math.min(maxCounts[candidate.ids[k][j]], candidate.counts[k][j]);
      }
    }
    for (NGrams ref : refs) {
      for (int[] ids : ref.ids) {
        for (int id : ids) {
          maxCounts[id] = 0;
        }
      }
    }
    return correct;
  }
}
