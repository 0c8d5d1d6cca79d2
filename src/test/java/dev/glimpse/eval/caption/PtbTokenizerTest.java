package dev.glimpse.eval.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PtbTokenizerTest {

  /** References in one call and candidates in another, in image order, as eval.py does. */
  private static void assertTokenizedLikeToolkit(String fixtureName) {
    CaptionFixture f = CaptionFixture.load(fixtureName);
    List<String> allRefs = new ArrayList<>();
    List<String> expectedRefs = new ArrayList<>();
    for (int i = 0; i < f.refs().size(); i++) {
      allRefs.addAll(f.refs().get(i));
      expectedRefs.addAll(f.refsTokenized().get(i));
    }
    assertEquals(expectedRefs, PtbTokenizer.tokenize(allRefs));
    assertEquals(f.candidatesTokenized(), PtbTokenizer.tokenize(f.candidates()));
  }

  @Test
  void edgeCasesMatchToolkitExactly() {
    assertTokenizedLikeToolkit("caption_edge.json");
  }

  @Test
  void corpusMatchesToolkitExactly() {
    assertTokenizedLikeToolkit("caption_corpus_small.json");
  }

  @Test
  void singleCaptionsMatchToolkit() {
    CaptionFixture f = CaptionFixture.load("caption_edge.json");
    for (int i = 0; i < f.candidates().size(); i++) {
      assertEquals(f.candidatesTokenized().get(i), PtbTokenizer.tokenize(f.candidates().get(i)));
    }
  }

  @Test
  void emptyAndPunctuationOnlyCaptionsKeepTheirLine() {
    assertEquals(
        List.of("", "a dog", "", "two cats"),
        PtbTokenizer.tokenize(List.of("", "A dog.", "...", "Two cats!")));
  }

  @Test
  void otherLineBreaksInsideCaptionsAreSpaces() {
    assertEquals(
        List.of("a dog runs", "a cat", "on grass"),
        PtbTokenizer.tokenize(List.of("a dog\r\nruns", "a\u2028cat", "on\rgrass")));
  }
}
