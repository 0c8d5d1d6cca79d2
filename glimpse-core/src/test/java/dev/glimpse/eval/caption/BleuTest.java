package dev.glimpse.eval.caption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class BleuTest {
  private static final double TOLERANCE = 1e-12;

  private static void assertMatches(CaptionFixture f) {
    Bleu.Result result = Bleu.score(f.refsTokenized(), f.candidatesTokenized());
    JsonObject corpus = f.expected().getAsJsonObject("corpus");
    JsonObject perImage = f.expected().getAsJsonObject("per_image");
    for (int k = 0; k < 4; k++) {
      String key = "Bleu_" + (k + 1);
      assertEquals(corpus.get(key).getAsDouble(), result.scores().get(k).corpus(), TOLERANCE, key);
      assertArrayEquals(
          CaptionFixture.doubles(perImage.getAsJsonArray(key)),
          result.scores().get(k).perImage(),
          TOLERANCE,
          key);
    }
    JsonObject stats = f.expected().getAsJsonObject("bleu_corpus_stats");
    assertEquals(stats.get("testlen").getAsLong(), result.stats().testLength());
    assertEquals(stats.get("reflen").getAsLong(), result.stats().refLength());
    for (int k = 0; k < 4; k++) {
      assertEquals(stats.getAsJsonArray("guess").get(k).getAsLong(), result.stats().guess()[k]);
      assertEquals(stats.getAsJsonArray("correct").get(k).getAsLong(), result.stats().correct()[k]);
    }
  }

  @Test
  void corpusMatchesToolkit() {
    assertMatches(CaptionFixture.load("caption_corpus_small.json"));
  }

  @Test
  void edgeCasesTogetherMatchToolkit() {
    assertMatches(CaptionFixture.load("caption_edge.json"));
  }

  @Test
  void edgeCasesAloneMatchToolkit() {
    CaptionFixture f = CaptionFixture.load("caption_edge.json");
    for (int i = 0; i < f.images().size(); i++) {
      JsonObject alone = f.images().get(i).getAsJsonObject("single_image_corpus");
      Bleu.Result result =
          Bleu.score(List.of(f.refsTokenized().get(i)), List.of(f.candidatesTokenized().get(i)));
      for (int k = 0; k < 4; k++) {
        String key = "Bleu_" + (k + 1);
        double expected = alone.getAsJsonObject("scores").get(key).getAsDouble();
        assertEquals(expected, result.scores().get(k).corpus(), TOLERANCE, f.id(i) + " " + key);
        assertEquals(
            alone.getAsJsonObject("per_image").get(key).getAsDouble(),
            result.scores().get(k).perImage()[0],
            TOLERANCE);
      }
    }
  }

  @Test
  void perfectMatchIsJustBelowOne() {
    Bleu.Result result = Bleu.score(List.of(List.of("a b c d e")), List.of("a b c d e"));
    assertEquals(1.0, result.scores().get(3).corpus(), 1e-9);
  }
}
