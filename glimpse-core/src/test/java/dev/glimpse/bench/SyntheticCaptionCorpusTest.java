package dev.glimpse.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticCaptionCorpusTest {

  @Test
  void sameSeedSameCorpus() {
    SyntheticCaptionCorpus.Corpus a = SyntheticCaptionCorpus.generate(50, 5, 7);
    SyntheticCaptionCorpus.Corpus b = SyntheticCaptionCorpus.generate(50, 5, 7);
    assertEquals(a, b);
    assertNotEquals(a, SyntheticCaptionCorpus.generate(50, 5, 8));
  }

  @Test
  void shapeIsImagesTimesRefsPlusOneCandidate() {
    SyntheticCaptionCorpus.Corpus c = SyntheticCaptionCorpus.generate(20, 3, 1);
    assertEquals(20, c.refs().size());
    assertEquals(20, c.candidates().size());
    c.refs().values().forEach(refs -> assertEquals(3, refs.size()));
    c.candidates().values().forEach(candidate -> assertTrue(!candidate.isBlank()));
  }
}
