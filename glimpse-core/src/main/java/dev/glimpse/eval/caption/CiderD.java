package dev.glimpse.eval.caption;

import java.util.Arrays;
import java.util.List;

/**
 * CIDEr-D exactly as pycocoevalcap's {@code Cider()} (Vedantam et al. 2015, with the toolkit's
 * changes): tf-idf vectors of 1..4-grams, idf from the references of exactly the images scored
 * together ({@code log(N) - log(max(1, df))}), cosine similarity with the candidate's weights
 * clipped by the reference's, a gaussian penalty {@code e^(-delta^2 / (2 sigma^2))} with {@code
 * sigma = 6}, mean over n, mean over references, times 10. The corpus value is the mean over
 * images.
 *
 * <p>Quirks kept: {@code delta} is the difference in <em>bigram</em> counts (the toolkit counts the
 * length in its n = 2 loop), and a one-image corpus scores 0 (every idf is {@code log 1 = 0}).
 */
public final class CiderD {
  private static final double SIGMA = 6.0;

  private CiderD() {}

  /** Inputs are PTB-tokenized strings, {@code refs.get(i)} for {@code candidates.get(i)}. */
  public static CorpusScore score(List<List<String>> refs, List<String> candidates) {
    Checks.aligned(refs, candidates);
    return scoreGrams(CorpusGrams.of(refs, candidates));
  }

  static CorpusScore scoreGrams(CorpusGrams grams) {
    double[] idf = inverseDocumentFrequency(grams);
    double[] perImage = new double[grams.candidates.size()];
    Parallel.ranges(
        perImage.length,
        64,
        (from, to) -> {
          double[] refWeights = new double[grams.vocabularySize];
          for (int i = from; i < to; i++) {
            perImage[i] = imageScore(grams.candidates.get(i), grams.refs.get(i), idf, refWeights);
          }
        });
    return new CorpusScore(NumpySum.mean(perImage), perImage);
  }

  private static double imageScore(
      NGrams candidate, List<NGrams> refs, double[] idf, double[] refWeights) {
    TfIdf hypothesis = new TfIdf(candidate, idf);
    double[] sum = new double[NGrams.MAX_N];
    for (NGrams ref : refs) {
      double[] sim = similarity(hypothesis, new TfIdf(ref, idf), refWeights);
      for (int n = 0; n < sum.length; n++) {
        sum[n] += sim[n];
      }
    }
    double mean = NumpySum.mean(sum);
    mean /= refs.size();
    mean *= 10.0;
    return mean;
  }

  /**
   * {@code log(N) - log(max(1, df))} per n-gram id, where {@code df} counts the images whose
   * references contain the n-gram (the toolkit's {@code ref_len - df} term).
   */
  private static double[] inverseDocumentFrequency(CorpusGrams grams) {
    int[] documentFrequency = new int[grams.vocabularySize];
    int[] lastImage = new int[grams.vocabularySize];
    Arrays.fill(lastImage, -1);
    for (int i = 0; i < grams.refs.size(); i++) {
      for (NGrams ref : grams.refs.get(i)) {
        for (int[] ids : ref.ids) {
          for (int id : ids) {
            if (lastImage[id] != i) {
              lastImage[id] = i;
              documentFrequency[id]++;
            }
          }
        }
      }
    }
    double logImages = Math.log(grams.refs.size());
    double[] idf = new double[grams.vocabularySize];
    for (int id = 0; id < idf.length; id++) {
      idf[id] = logImages - Math.log(Math.max(1.0, documentFrequency[id]));
    }
    return idf;
  }

  /** The toolkit's {@code counts2vec}: tf-idf weights per order, their norms, the bigram count. */
  private static final class TfIdf {
    final NGrams grams;
    final double[][] weights = new double[NGrams.MAX_N][];
    final double[] norm = new double[NGrams.MAX_N];
    final int length;

    TfIdf(NGrams grams, double[] idf) {
      this.grams = grams;
      for (int n = 0; n < NGrams.MAX_N; n++) {
        int[] ids = grams.ids[n];
        double[] w = new double[ids.length];
        double squares = 0.0;
        for (int j = 0; j < ids.length; j++) {
          w[j] = grams.counts[n][j] * idf[ids[j]];
          squares += w[j] * w[j];
        }
        weights[n] = w;
        norm[n] = Math.sqrt(squares);
      }
      int bigrams = 0;
      for (int c : grams.counts[1]) {
        bigrams += c;
      }
      length = bigrams;
    }
  }

  /** {@code refWeights}: scratch indexed by n-gram id, all zero on entry and on return. */
  private static double[] similarity(TfIdf candidate, TfIdf ref, double[] refWeights) {
    for (int n = 0; n < NGrams.MAX_N; n++) {
      for (int j = 0; j < ref.weights[n].length; j++) {
        refWeights[ref.grams.ids[n][j]] = ref.weights[n][j];
      }
    }
    double delta = candidate.length - ref.length;
    double penalty = Math.pow(Math.E, -(delta * delta) / (2 * SIGMA * SIGMA));
    double[] val = new double[NGrams.MAX_N];
    for (int n = 0; n < NGrams.MAX_N; n++) {
      int[] ids = candidate.grams.ids[n];
      for (int j = 0; j < ids.length; j++) {
        double r = refWeights[ids[j]];
        val[n] += Math.min(candidate.weights[n][j], r) * r;
      }
      if (candidate.norm[n] != 0 && ref.norm[n] != 0) {
        val[n] /= candidate.norm[n] * ref.norm[n];
      }
      val[n] *= penalty;
    }
    for (int[] ids : ref.grams.ids) {
      for (int id : ids) {
        refWeights[id] = 0;
      }
    }
    return val;
  }
}
