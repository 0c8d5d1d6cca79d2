package dev.glimpse.eval.caption;

import java.util.List;
import java.util.Map;

/**
 * Caption metrics of one corpus, keyed as pycocoevalcap keys them.
 *
 * @param imageIds the images scored, in the order of the per-image arrays
 * @param corpus {@code Bleu_1..Bleu_4}, {@code METEOR} (when computed), {@code ROUGE_L}, {@code
 *     CIDEr}, in that order
 * @param perImage the same keys, one value per image (aligned with {@code imageIds})
 * @param unavailable metrics the toolkit has and Glimpse does not compute, with the reason ({@code
 *     SPICE}, and {@code METEOR} when it was skipped)
 * @param meteorVariant what {@code METEOR} means here ({@link Meteor#VARIANT}), null when skipped
 * @param bleuStats the pooled BLEU counts the toolkit prints
 */
public record CaptionScores(
    List<String> imageIds,
    Map<String, Double> corpus,
    Map<String, double[]> perImage,
    Map<String, String> unavailable,
    String meteorVariant,
    Bleu.Stats bleuStats) {

  /** Corpus value of one metric key, e.g. {@code "CIDEr"}. */
  public double get(String key) {
    Double value = corpus.get(key);
    if (value == null) {
      throw new IllegalArgumentException("no corpus score " + key + " (have " + corpus.keySet() + ")");
    }
    return value;
  }
}
