package dev.glimpse.eval.retrieval;

import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Image-text retrieval figures from embeddings: Recall@1/5/10 and mean rank in both directions, with
 * several texts per image (image to text: the best-ranked of the image's own texts counts, as the
 * COCO/Flickr protocol). Scores are dot products of unit vectors.
 *
 * <p>When an identical text belongs to several images (short synthetic captions repeat; so do some
 * COCO captions), a text-to-image query cannot tell its own image from the others, so R@1 has a
 * ceiling below 1. The figures say so rather than hide it: {@code shared_text_fraction} is the share
 * of text queries whose exact text also describes another image, and the {@code *_text_match}
 * recalls count any image (or text) with the identical text as correct.
 */
public final class RetrievalEval {
  private RetrievalEval() {}

  /**
   * @param images [I][P] unit image embeddings
   * @param texts [T][P] unit text embeddings
   * @param owner for each text, the image it describes
   * @param strings the texts themselves (to find identical texts), or null
   */
  public static JsonObject score(float[][] images, float[][] texts, int[] owner, List<String> strings) {
    float[][] similarity = similarity(images, texts);
    RetrievalMetrics.Result r = RetrievalMetrics.retrieval(similarity, owner);
    JsonObject out = new JsonObject();
    out.addProperty("r1_t2i", r.textToImage().r1());
    out.addProperty("r5_t2i", r.textToImage().r5());
    out.addProperty("r10_t2i", r.textToImage().r10());
    out.addProperty("r1_i2t", r.imageToText().r1());
    out.addProperty("r5_i2t", r.imageToText().r5());
    out.addProperty("r10_i2t", r.imageToText().r10());
    out.addProperty("mean_rank_t2i", r.textToImage().meanRank());
    out.addProperty("mean_rank_i2t", r.imageToText().meanRank());
    out.addProperty("median_rank_t2i", r.textToImage().medianRank());
    out.addProperty("median_rank_i2t", r.imageToText().medianRank());
    out.addProperty("images", images.length);
    out.addProperty("texts", texts.length);
    if (strings != null) {
      TextMatch match = textMatch(similarity, owner, strings);
      out.addProperty("shared_text_fraction", match.sharedFraction());
      out.addProperty("r1_t2i_text_match", match.r1TextToImage());
      out.addProperty("r1_i2t_text_match", match.r1ImageToText());
    }
    return out;
  }

  /** {@code [I][T]} dot products. */
  public static float[][] similarity(float[][] images, float[][] texts) {
    float[][] s = new float[images.length][texts.length];
    for (int i = 0; i < images.length; i++) {
      float[] a = images[i];
      for (int t = 0; t < texts.length; t++) {
        s[i][t] = dot(a, texts[t]);
      }
    }
    return s;
  }

  static float dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("embeddings of different widths: " + a.length + " and " + b.length);
    }
    float sum = 0;
    for (int k = 0; k < a.length; k++) {
      sum += a[k] * b[k];
    }
    return sum;
  }

  /** Recall@1 when identical texts are interchangeable, and how many queries have a twin elsewhere. */
  record TextMatch(double sharedFraction, double r1TextToImage, double r1ImageToText) {}

  static TextMatch textMatch(float[][] similarity, int[] owner, List<String> strings) {
    int images = similarity.length;
    Map<String, Set<Integer>> imagesOf = new HashMap<>();
    for (int t = 0; t < owner.length; t++) {
      imagesOf.computeIfAbsent(strings.get(t), k -> new HashSet<>()).add(owner[t]);
    }
    int shared = 0;
    int hitsT2i = 0;
    for (int t = 0; t < owner.length; t++) {
      Set<Integer> correct = imagesOf.get(strings.get(t));
      shared += correct.size() > 1 ? 1 : 0;
      float best = Float.NEGATIVE_INFINITY;
      for (int i : correct) {
        best = Math.max(best, similarity[i][t]);
      }
      boolean beaten = false;
      for (int i = 0; i < images && !beaten; i++) {
        beaten = !correct.contains(i) && similarity[i][t] >= best; // ties count against, as RetrievalMetrics
      }
      hitsT2i += beaten ? 0 : 1;
    }
    List<Set<String>> textsOf = new java.util.ArrayList<>();
    for (int i = 0; i < images; i++) {
      textsOf.add(new HashSet<>());
    }
    for (int t = 0; t < owner.length; t++) {
      textsOf.get(owner[t]).add(strings.get(t));
    }
    int hitsI2t = 0;
    for (int i = 0; i < images; i++) {
      float best = Float.NEGATIVE_INFINITY;
      for (int t = 0; t < owner.length; t++) {
        if (textsOf.get(i).contains(strings.get(t))) {
          best = Math.max(best, similarity[i][t]);
        }
      }
      boolean beaten = false;
      for (int t = 0; t < owner.length && !beaten; t++) {
        beaten = !textsOf.get(i).contains(strings.get(t)) && similarity[i][t] >= best;
      }
      hitsI2t += beaten ? 0 : 1;
    }
    return new TextMatch((double) shared / owner.length, (double) hitsT2i / owner.length, (double) hitsI2t / images);
  }
}
