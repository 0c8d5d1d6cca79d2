package dev.glimpse.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
  static final List<String> CORPUS = List.of(
      "a large red circle on the left",
      "a small blue square to the left of a large yellow star",
      "there is a big red circle at the left side of the image",
      "three shapes: a red circle, a blue square and a green star",
      "a small green triangle above a purple circle");

  @Test
  void roundTripsTextAndLearnsWholeWords() {
    try (HfTokenizer tok = new BpeTrainer(1000, 1).train(CORPUS)) {
      for (String s : CORPUS) {
        assertEquals(s, tok.decode(tok.encode(s)));
      }
      // frequent words become single tokens
      assertEquals(1, tok.encode("circle").length);
      assertEquals(1, tok.encode("red").length);
      // unseen text still round-trips (byte-level: no unknown tokens)
      assertEquals("zebra ünïcode 42!", tok.decode(tok.encode("zebra ünïcode 42!")));
      assertEquals("a red circle", tok.decode(tok.encode("A Red Circle")));
      assertEquals(new SpecialTokens(1, 2, 0, 3), tok.special());
    }
  }

  @Test
  void theByteVocabularySpellsEveryWordOneTokenPerLetter() {
    try (HfTokenizer tok = new BpeTrainer(BpeTrainer.BYTE_VOCAB, 1).train(CORPUS)) {
      assertEquals(BpeTrainer.BYTE_VOCAB, tok.vocabSize(), "no merges");
      int[] circle = tok.encode("circle");
      // the leading-space marker, then c-i-r-c-l-e
      assertEquals(7, circle.length);
      assertEquals(tok.encode("c")[1], circle[1]);
      assertEquals(circle[1], circle[4], "the same letter is the same token wherever it stands");
      assertEquals("circle", tok.decode(circle));
    }
  }

  @Test
  void decodeDropsSpecialTokens() {
    try (HfTokenizer tok = new BpeTrainer(600, 1).train(CORPUS)) {
      int[] ids = tok.encode("a red circle");
      int[] withSpecials = new int[ids.length + 3];
      withSpecials[0] = tok.special().bos();
      System.arraycopy(ids, 0, withSpecials, 1, ids.length);
      withSpecials[ids.length + 1] = tok.special().eos();
      withSpecials[ids.length + 2] = tok.special().pad();
      assertEquals("a red circle", tok.decode(withSpecials));
    }
  }

  @Test
  void trainingIsDeterministicAndRespectsVocabSize() {
    BpeTrainer trainer = new BpeTrainer(300, 1);
    String a = trainer.trainJson(CORPUS);
    String b = trainer.trainJson(CORPUS);
    assertEquals(a, b);
    try (HfTokenizer tok = trainer.train(CORPUS)) {
      assertTrue(tok.vocabSize() <= 300, "vocab " + tok.vocabSize());
    }
  }

  @Test
  void saveAndLoadGiveTheSameIds(@TempDir Path dir) {
    try (HfTokenizer tok = new BpeTrainer(500, 1).train(CORPUS)) {
      tok.save(dir);
      try (HfTokenizer loaded = HfTokenizer.load(dir)) {
        assertArrayEquals(tok.encode(CORPUS.get(3)), loaded.encode(CORPUS.get(3)));
        assertEquals(tok.special(), loaded.special());
        assertEquals(tok.vocabSize(), loaded.vocabSize());
      }
    }
  }
}
