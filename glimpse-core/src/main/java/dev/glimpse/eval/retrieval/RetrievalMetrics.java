package dev.glimpse.eval.retrieval;

import java.util.Arrays;

/**
 * Image-text retrieval and zero-shot classification metrics from a score matrix.
 *
 * <pre>{@code
 * // similarity[i][t]: image i vs text t; textToImage[t]: the image that text t describes
 * RetrievalMetrics.Result r = RetrievalMetrics.retrieval(similarity, textToImage);
 * double r1 = r.imageToText().r1();
 * RetrievalMetrics.ZeroShot z = RetrievalMetrics.zeroShot(logits, labels);
 * }</pre>
 *
 * <p>Image to text: an image's rank is that of its best-scored own caption (the usual COCO/Flickr
 * protocol with 5 captions per image). Text to image: the rank of the text's image. Ranks start at
 * 1. Ties are counted against the query: an item scored equal to the best correct one ranks above
 * it, so a constant score matrix gives recall near 0, never 1. Recalls and accuracies are fractions
 * in [0, 1].
 */
public final class RetrievalMetrics {
  private RetrievalMetrics() {}

  /** Recall@1/5/10 and the mean and median rank of one retrieval direction. */
  public record Direction(double r1, double r5, double r10, double meanRank, double medianRank) {}

  public record Result(Direction imageToText, Direction textToImage) {}

  /** Zero-shot classification accuracy over {@code samples} samples. */
  public record ZeroShot(double top1, double top5, int samples) {}

  /**
   * @param similarity {@code [images][texts]} scores, higher is more similar
   * @param textToImage for each text, the index of the image it belongs to
   * @throws IllegalArgumentException for a ragged or non-finite matrix, a bad owner index, or an
   *     image without texts
   */
  public static Result retrieval(float[][] similarity, int[] textToImage) {
    int images = similarity.length;
    int texts = textToImage.length;
    checkMatrix(similarity, texts, "similarity");
    boolean[] hasText = new boolean[images];
    for (int t = 0; t < texts; t++) {
      if (textToImage[t] < 0 || textToImage[t] >= images) {
        throw new IllegalArgumentException(
            "text " + t + " belongs to image " + textToImage[t] + ", outside 0.." + (images - 1));
      }
      hasText[textToImage[t]] = true;
    }
    for (int i = 0; i < images; i++) {
      if (!hasText[i]) {
        throw new IllegalArgumentException("image " + i + " has no text");
      }
    }
    int[] imageRanks = new int[images];
    for (int i = 0; i < images; i++) {
      float best = Float.NEGATIVE_INFINITY;
      for (int t = 0; t < texts; t++) {
        if (textToImage[t] == i) {
          best = Math.max(best, similarity[i][t]);
        }
      }
      int rank = 1;
      for (int t = 0; t < texts; t++) {
        if (textToImage[t] != i && similarity[i][t] >= best) {
          rank++;
        }
      }
      imageRanks[i] = rank;
    }
    int[] textRanks = new int[texts];
    for (int t = 0; t < texts; t++) {
      float own = similarity[textToImage[t]][t];
      int rank = 1;
      for (int i = 0; i < images; i++) {
        if (i != textToImage[t] && similarity[i][t] >= own) {
          rank++;
        }
      }
      textRanks[t] = rank;
    }
    return new Result(direction(imageRanks), direction(textRanks));
  }

  /**
   * @param logits {@code [samples][classes]} scores
   * @param labels the true class of each sample
   */
  public static ZeroShot zeroShot(float[][] logits, int[] labels) {
    if (logits.length != labels.length) {
      throw new IllegalArgumentException(
          logits.length + " rows of logits for " + labels.length + " labels");
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    int classes = logits[0].length;
    checkMatrix(logits, classes, "logits");
    int[] ranks = new int[labels.length];
    for (int s = 0; s < labels.length; s++) {
      if (labels[s] < 0 || labels[s] >= classes) {
        throw new IllegalArgumentException(
            "label " + labels[s] + " of sample " + s + " outside 0.." + (classes - 1));
      }
      float own = logits[s][labels[s]];
      int rank = 1;
      for (int c = 0; c < classes; c++) {
        if (c != labels[s] && logits[s][c] >= own) {
          rank++;
        }
      }
      ranks[s] = rank;
    }
    return new ZeroShot(recallAt(ranks, 1), recallAt(ranks, 5), labels.length);
  }

  private static Direction direction(int[] ranks) {
    double sum = 0;
    for (int r : ranks) {
      sum += r;
    }
    return new Direction(
        recallAt(ranks, 1),
        recallAt(ranks, 5),
        recallAt(ranks, 10),
        sum / ranks.length,
        median(ranks));
  }

  private static double recallAt(int[] ranks, int k) {
    int hits = 0;
    for (int r : ranks) {
      if (r <= k) {
        hits++;
      }
    }
    return hits / (double) ranks.length;
  }

  private static double median(int[] ranks) {
    int[] sorted = ranks.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private static void checkMatrix(float[][] m, int columns, String name) {
    if (m.length == 0) {
      throw new IllegalArgumentException(name + " has no rows");
    }
    for (int i = 0; i < m.length; i++) {
      if (m[i].length != columns) {
        throw new IllegalArgumentException(
            name + " row " + i + " has " + m[i].length + " columns, expected " + columns);
      }
      for (float v : m[i]) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(name + " row " + i + " holds " + v);
        }
      }
    }
  }
}
