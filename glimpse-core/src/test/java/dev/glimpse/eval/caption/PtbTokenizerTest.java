package dev.glimpse.eval.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
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

  /** 4,500 hostile captions tokenized by the toolkit in one call; see the fixture README. */
  @Test
  void tortureTestMatchesToolkit() {
    JsonObject f = CaptionFixture.resource("/fixtures/metrics/ptb_torture.json").getAsJsonObject();
    List<String> captions = CaptionFixture.strings(f.getAsJsonArray("captions"));
    List<String> expected = CaptionFixture.strings(f.getAsJsonArray("tokenized"));
    assertEquals(expected, PtbTokenizer.tokenize(captions));
  }

  /** Chunks cut everywhere (look-ahead context across every boundary) give the one-pass result. */
  @Test
  void chunkedTokenizationEqualsOnePass() {
    JsonObject f = CaptionFixture.resource("/fixtures/metrics/ptb_torture.json").getAsJsonObject();
    List<String> captions = CaptionFixture.strings(f.getAsJsonArray("captions")).subList(0, 1500);
    List<String> expected = CaptionFixture.strings(f.getAsJsonArray("tokenized")).subList(0, 1500);
    for (int chunk : new int[] {1, 2, 7}) {
      assertEquals(expected, PtbTokenizer.tokenize(captions, chunk), "chunks of " + chunk);
    }
    List<String> lineEnds =
        List.of("He left at 5 p.m.", "The U.S.", "It is 3 etc.", "", "  ", "The end.", "A dog.");
    assertEquals(
        PtbTokenizer.tokenize(lineEnds, Integer.MAX_VALUE), PtbTokenizer.tokenize(lineEnds, 1));
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
