package dev.glimpse.eval.caption;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D exactly as pycocoevalcap's {@code Cider()} (Vedantam et al. 2015, with the toolkit's
 * changes): tf-idf vectors of 1..4-grams, idf from the references of exactly the images scored
 * together ({@code log(N) - log(max(1, df))}), cosine similarity with the candidate's weights
 * clipped by the reference's, a gaussian penalty {@code exp(-delta^2 / (2 sigma^2))} with {@code
 * sigma = 6}, mean over n, mean over references, times 10. The corpus value is the mean over images.
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
    List<List<NGrams>> refGrams = new ArrayList<>(refs.size());
    for (List<String> r : refs) {
      refGrams.add(NGrams.of(r));
    }
    return scoreGrams(refGrams, NGrams.of(candidates));
  }

  static CorpusScore scoreGrams(List<List<NGrams>> refs, List<NGrams> candidates) {
    List<Map<String, Integer>> documentFrequency = documentFrequency(refs);
    double logImages = Math.log(refs.size());
    double[] perImage = new double[candidates.size()];
    for (int i = 0; i < perImage.length; i++) {
      TfIdf candidate = new TfIdf(candidates.get(i), documentFrequency, logImages);
      double[] sum = new double[NGrams.MAX_N];
      for (NGrams ref : refs.get(i)) {
        double[] sim = similarity(candidate, new TfIdf(ref, documentFrequency, logImages));
        for (int n = 0; n < sum.length; n++) {
          sum[n] += sim[n];
        }
      }
      double mean = NumpySum.mean(sum);
      mean /= refs.get(i).size();
      mean *= 10.0;
      perImage[i] = mean;
    }
    return new CorpusScore(NumpySum.mean(perImage), perImage);
  }

  /** Per order: in how many images' reference sets each n-gram occurs. */
  private static List<Map<String, Integer>> documentFrequency(List<List<NGrams>> refs) {
    List<Map<String, Integer>> df = new ArrayList<>(NGrams.MAX_N);
    for (int n = 0; n < NGrams.MAX_N; n++) {
      Map<String, Integer> counts = new HashMap<>();
      for (List<NGrams> imageRefs : refs) {
        Set<String> seen = new HashSet<>();
        for (NGrams ref : imageRefs) {
          seen.addAll(ref.counts.get(n).keySet());
        }
        for (String ngram : seen) {
          counts.merge(ngram, 1, Integer::sum);
        }
      }
      df.add(counts);
    }
    return df;
  }

  /** The toolkit's {@code counts2vec}: tf-idf weights per order, their norms, the bigram count. */
  private static final class TfIdf {
    final List<Map<String, Double>> weights = new ArrayList<>(NGrams.MAX_N);
    final double[] norm = new double[NGrams.MAX_N];
    final int length;

    TfIdf(NGrams grams, List<Map<String, Integer>> documentFrequency, double logImages) {
      int bigrams = 0;
      for (int n = 0; n < NGrams.MAX_N; n++) {
        Map<String, Double> w = new LinkedHashMap<>();
        double squares = 0.0;
        for (Map.Entry<String, Integer> e : grams.counts.get(n).entrySet()) {
          int df = documentFrequency.get(n).getOrDefault(e.getKey(), 0);
          double weight = e.getValue() * (logImages - Math.log(Math.max(1.0, df)));
          w.put(e.getKey(), weight);
          squares += weight * weight;
          if (n == 1) {
            bigrams += e.getValue();
          }
        }
        weights.add(w);
        norm[n] = Math.sqrt(squares);
      }
      length = bigrams;
    }
  }

  private static double[] similarity(TfIdf candidate, TfIdf ref) {
    double delta = candidate.length - ref.length;
    double penalty = Math.pow(Math.E, -(delta * delta) / (2 * SIGMA * SIGMA));
    double[] val = new double[NGrams.MAX_N];
    for (int n = 0; n < NGrams.MAX_N; n++) {
      Map<String, Double> refWeights = ref.weights.get(n);
      for (Map.Entry<String, Double> e : candidate.weights.get(n).entrySet()) {
        double r = refWeights.getOrDefault(e.getKey(), 0.0);
        val[n] += Math.min(e.getValue(), r) * r;
      }
      if (candidate.norm[n] != 0 && ref.norm[n] != 0) {
        val[n] /= candidate.norm[n] * ref.norm[n];
      }
      val[n] *= penalty;
    }
    return val;
  }
}
