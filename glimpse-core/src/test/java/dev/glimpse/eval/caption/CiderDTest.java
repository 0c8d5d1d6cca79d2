package dev.glimpse.eval.caption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class CiderDTest {
  private static final double TOLERANCE = 1e-12;

  private static void assertMatches(CaptionFixture f) {
    CorpusScore score = CiderD.score(f.refsTokenized(), f.candidatesTokenized());
    assertEquals(
        f.expected().getAsJsonObject("corpus").get("CIDEr").getAsDouble(),
        score.corpus(),
        TOLERANCE);
    assertArrayEquals(
        CaptionFixture.doubles(f.expected().getAsJsonObject("per_image").getAsJsonArray("CIDEr")),
        score.perImage(),
        TOLERANCE);
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
      CorpusScore score =
          CiderD.score(List.of(f.refsTokenized().get(i)), List.of(f.candidatesTokenized().get(i)));
      assertEquals(
          alone.getAsJsonObject("scores").get("CIDEr").getAsDouble(),
          score.corpus(),
          TOLERANCE,
          f.id(i));
    }
  }

  @Test
  void oneImageCorpusScoresZero() {
    assertEquals(0.0, CiderD.score(List.of(List.of("a dog runs")), List.of("a dog runs")).corpus());
  }
}
