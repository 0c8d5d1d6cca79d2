package dev.glimpse.eval.caption;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
      throw new IllegalArgumentException(
          "no corpus score " + key + " (have " + corpus.keySet() + ")");
    }
    return value;
  }

  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");

  /**
   * The pycocoevalcap keys with their corpus values ({@code null} for unavailable ones), {@code
   * METEOR_variant}, {@code unavailable} (key to reason), {@code images}, {@code bleu_stats}, and
   * with {@code includePerImage} a {@code per_image} list shaped like the toolkit's {@code
   * evalImgs}: {@code [{"image_id", "Bleu_1", ...}]} (ids that are integers printed as numbers).
   */
  public JsonObject toJson(boolean includePerImage) {
    JsonObject out = new JsonObject();
    for (String key : CaptionMetrics.KEYS) {
      Double value = corpus.get(key);
      if (value == null) {
        out.add(key, JsonNull.INSTANCE);
      } else {
        out.addProperty(key, value);
      }
    }
    if (meteorVariant != null) {
      out.addProperty("METEOR_variant", meteorVariant);
    }
    JsonObject reasons = new JsonObject();
    unavailable.forEach(reasons::addProperty);
    out.add("unavailable", reasons);
    out.addProperty("images", imageIds.size());
    JsonObject stats = new JsonObject();
    stats.addProperty("testlen", bleuStats.testLength());
    stats.addProperty("reflen", bleuStats.refLength());
    JsonArray guess = new JsonArray();
    JsonArray correct = new JsonArray();
    for (int k = 0; k < bleuStats.guess().length; k++) {
      guess.add(bleuStats.guess()[k]);
      correct.add(bleuStats.correct()[k]);
    }
    stats.add("guess", guess);
    stats.add("correct", correct);
    out.add("bleu_stats", stats);
    if (includePerImage) {
      JsonArray images = new JsonArray();
      for (int i = 0; i < imageIds.size(); i++) {
        JsonObject image = new JsonObject();
        String id = imageIds.get(i);
        if (INTEGER.matcher(id).matches()) {
          image.addProperty("image_id", Long.parseLong(id));
        } else {
          image.addProperty("image_id", id);
        }
        for (Map.Entry<String, double[]> e : perImage.entrySet()) {
          image.addProperty(e.getKey(), e.getValue()[i]);
        }
        images.add(image);
      }
      out.add("per_image", images);
    }
    return out;
  }
}
