package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.HfTokenizer;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LmBatcherTest {
  private static final List<String> ANSWERS =
      List.of("oval", "circle", "circle", "ball", "circle", "oval", "circle", "circle", "ball", "circle");

  @Test
  void consensusIsTheMostFrequentReferenceAndTheEarliestOnTies() {
    assertEquals("circle", LmBatcher.consensus(ANSWERS));
    assertEquals("a large red circle", LmBatcher.consensus(List.of("a large red circle", "a big red ball", "red")));
    assertEquals("no", LmBatcher.consensus(List.of("no", "yes", "yes", "no")));
    assertEquals("yes", LmBatcher.consensus(List.of("maybe", "yes", "no", "yes", "no")));
  }

  @Test
  void firstTargetProbabilityOneTrainsOnTheMajorityAnswerAndZeroOnAllOfThem() throws Exception {
    try (HfTokenizer tok = new BpeTrainer(300, 1).train(List.of(
        "what shape is the red object?", "circle", "oval", "ball", "a large red circle"))) {
      Example ex = new Example("q1", List.of(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB)),
          "what shape is the red object?", ANSWERS, Map.of());
      int[] circle = tok.encode("circle");
      LmBatcher majority = new LmBatcher(tok, ImageTransform.square(8), 32, 1, 1.0);
      SplittableRandom random = new SplittableRandom(7);
      for (int i = 0; i < 20; i++) {
        LmBatcher.Tokens t = majority.tokens(ex, random);
        int[] answer = Arrays.copyOfRange(t.sequence(), t.promptLength(), t.sequence().length - 1);
        assertTrue(Arrays.equals(circle, answer), "the majority answer, every time");
      }
      LmBatcher uniform = new LmBatcher(tok, ImageTransform.square(8), 32, 1, 0.0);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        LmBatcher.Tokens t = uniform.tokens(ex, random);
        seen.add(tok.decode(Arrays.copyOfRange(t.sequence(), t.promptLength(), t.sequence().length - 1)).trim());
      }
      assertEquals(Set.of("circle", "oval", "ball"), seen);
    }
  }
}
