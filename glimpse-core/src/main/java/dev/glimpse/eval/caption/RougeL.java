package dev.glimpse.eval.caption;

import java.util.List;

/**
 * ROUGE-L exactly as pycocoevalcap's {@code Rouge()}: per image, the longest common subsequence
 * with each reference gives precision and recall; the maxima over references (taken separately) are
 * combined as an F-measure with {@code beta = 1.2}; the corpus value is the mean over images.
 *
 * <p>Sentences are split on single spaces as the toolkit does ({@code s.split(" ")}), so an empty
 * candidate is one empty token and matches an empty reference.
 */
public final class RougeL {
  private static final double BETA = 1.2;

  private RougeL() {}

  /** Inputs are PTB-tokenized strings, {@code refs.get(i)} for {@code candidates.get(i)}. */
  public static CorpusScore score(List<List<String>> refs, List<String> candidates) {
    Checks.aligned(refs, candidates);
    double[] perImage = new double[candidates.size()];
    Parallel.ranges(
        perImage.length,
        64,
        (from, to) -> {
          for (int i = from; i < to; i++) {
            perImage[i] = imageScore(refs.get(i), candidates.get(i));
          }
        });
    return new CorpusScore(NumpySum.mean(perImage), perImage);
  }

  static double imageScore(List<String> refs, String candidate) {
    String[] candidateTokens = candidate.split(" ", -1);
    double maxPrecision = Double.NEGATIVE_INFINITY;
    double maxRecall = Double.NEGATIVE_INFINITY;
    for (String ref : refs) {
      String[] refTokens = ref.split(" ", -1);
      int lcs = lcsLength(refTokens, candidateTokens);
      maxPrecision = Math.max(maxPrecision, lcs / (double) candidateTokens.length);
      maxRecall = Math.max(maxRecall, lcs / (double) refTokens.length);
    }
    if (maxPrecision == 0 || maxRecall == 0) {
      return 0.0;
    }
    double beta2 = BETA * BETA;
    return ((1 + beta2) * maxPrecision * maxRecall) / (maxRecall + beta2 * maxPrecision);
  }

  /** Length of the longest common subsequence (two-row dynamic programme). */
  static int lcsLength(String[] a, String[] b) {
    int[] previous = new int[b.length + 1];
    int[] current = new int[b.length + 1];
    for (String x : a) {
      for (int j = 1; j <= b.length; j++) {
        current[j] =
            x.equals(b[j - 1]) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length];
  }
}
