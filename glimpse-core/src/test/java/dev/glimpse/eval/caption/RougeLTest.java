package dev.glimpse.eval.caption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class RougeLTest {
  private static final double TOLERANCE = 1e-12;

  private static void assertMatches(CaptionFixture f) {
    CorpusScore score = RougeL.score(f.refsTokenized(), f.candidatesTokenized());
    assertEquals(
        f.expected().getAsJsonObject("corpus").get("ROUGE_L").getAsDouble(),
        score.corpus(),
        TOLERANCE);
    assertArrayEquals(
        CaptionFixture.doubles(f.expected().getAsJsonObject("per_image").getAsJsonArray("ROUGE_L")),
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
          RougeL.score(List.of(f.refsTokenized().get(i)), List.of(f.candidatesTokenized().get(i)));
      assertEquals(
          alone.getAsJsonObject("scores").get("ROUGE_L").getAsDouble(),
          score.corpus(),
          TOLERANCE,
          f.id(i));
    }
  }

  @Test
  void emptyCandidateMatchesEmptyReferenceAsTheToolkitDoes() {
    assertEquals(1.0, RougeL.score(List.of(List.of("")), List.of("")).corpus());
    assertEquals(0.0, RougeL.score(List.of(List.of("a dog")), List.of("")).corpus());
  }

  @Test
  void longestCommonSubsequence() {
    assertEquals(3, RougeL.lcsLength("a b c d".split(" "), "a x c d".split(" ")));
    assertEquals(0, RougeL.lcsLength("a b".split(" "), "c".split(" ")));
  }
}
