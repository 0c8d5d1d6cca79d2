package dev.glimpse.eval.caption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** End to end from raw captions, as the toolkit's COCOEvalCap.evaluate (without METEOR/SPICE). */
class CaptionMetricsTest {
  private static final double TOLERANCE = 1e-12;

  private static void assertMatchesToolkit(String fixtureName) {
    CaptionFixture f = CaptionFixture.load(fixtureName);
    CaptionScores scores = CaptionMetrics.evaluate(f.refsById(), f.candidatesById());
    JsonObject corpus = f.expected().getAsJsonObject("corpus");
    JsonObject perImage = f.expected().getAsJsonObject("per_image");
    for (String key : CaptionFixture.METRICS) {
      assertEquals(corpus.get(key).getAsDouble(), scores.get(key), TOLERANCE, key);
      assertArrayEquals(
          CaptionFixture.doubles(perImage.getAsJsonArray(key)),
          scores.perImage().get(key),
          TOLERANCE,
          key);
    }
    List<String> order = new ArrayList<>();
    f.expected().getAsJsonArray("image_order").forEach(e -> order.add(e.getAsString()));
    assertEquals(order, scores.imageIds());
  }

  @Test
  void corpusFromRawCaptionsMatchesToolkit() {
    assertMatchesToolkit("caption_corpus_small.json");
  }

  @Test
  void edgeCasesFromRawCaptionsMatchToolkit() {
    assertMatchesToolkit("caption_edge.json");
  }

  @Test
  void keysAreTheToolkitsAndSpiceIsExplicitlyUnavailable() {
    CaptionFixture f = CaptionFixture.load("caption_edge.json");
    CaptionScores scores = CaptionMetrics.evaluate(f.refsById(), f.candidatesById());
    assertEquals(
        List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "METEOR", "ROUGE_L", "CIDEr"),
        new ArrayList<>(scores.corpus().keySet()));
    assertEquals(CaptionMetrics.SPICE_UNAVAILABLE, scores.unavailable().get("SPICE"));
    assertEquals(Meteor.VARIANT, scores.meteorVariant());
  }

  @Test
  void meteorCanBeSkipped() {
    CaptionFixture f = CaptionFixture.load("caption_edge.json");
    CaptionScores scores = CaptionMetrics.evaluate(f.refsById(), f.candidatesById(), false);
    assertFalse(scores.corpus().containsKey("METEOR"));
    assertNull(scores.meteorVariant());
    assertEquals(CaptionMetrics.METEOR_SKIPPED, scores.unavailable().get("METEOR"));
  }

  @Test
  void mismatchedImagesAreRejected() {
    Map<String, List<String>> refs = new LinkedHashMap<>();
    refs.put("1", List.of("a dog"));
    assertThrows(
        IllegalArgumentException.class, () -> CaptionMetrics.evaluate(refs, Map.of("2", "a dog")));
    assertThrows(
        IllegalArgumentException.class,
        () -> CaptionMetrics.evaluate(refs, Map.of("1", "a dog", "2", "a cat")));
    assertThrows(
        IllegalArgumentException.class,
        () -> CaptionMetrics.evaluate(Map.of("1", List.of()), Map.of("1", "a dog")));
  }

  @Test
  void jsonHasNullSpiceAndKeepsStringIds() {
    Map<String, List<String>> refs = new LinkedHashMap<>();
    refs.put("007", List.of("a dog on grass"));
    refs.put("12", List.of("a cat on a sofa"));
    JsonObject json =
        CaptionMetrics.evaluate(refs, Map.of("007", "a dog", "12", "a cat"), false).toJson(true);
    assertTrue(json.get("SPICE").isJsonNull());
    assertTrue(json.get("METEOR").isJsonNull());
    assertEquals(
        "007",
        json.getAsJsonArray("per_image").get(0).getAsJsonObject().get("image_id").getAsString());
    assertTrue(
        json.getAsJsonArray("per_image")
            .get(0)
            .getAsJsonObject()
            .get("image_id")
            .getAsJsonPrimitive()
            .isString());
    assertTrue(
        json.getAsJsonArray("per_image")
            .get(1)
            .getAsJsonObject()
            .get("image_id")
            .getAsJsonPrimitive()
            .isNumber());
  }
}
