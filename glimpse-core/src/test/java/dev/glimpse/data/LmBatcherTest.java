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

  @Test
  void packedTextsShareARowEachWithItsOwnPositionsLossAndAttention() throws Exception {
    try (HfTokenizer tok = new BpeTrainer(300, 1).train(List.of(
        "what shape is the red object?", "circle", "how many shapes are there?", "2", "a red circle"))) {
      BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
      Example shape = new Example("q1", List.of(image), "what shape is the red object?", List.of("circle"), Map.of());
      Example count = new Example("q2", List.of(image), "how many shapes are there?", List.of("2"), Map.of());
      Example caption = Example.caption("c", image, List.of("a red circle"), Map.of());
      Example group = Example.group(List.of(shape, count, caption));
      assertEquals("q1", group.id());
      assertEquals(3, group.members().size());
      assertEquals(List.of(shape), shape.members());

      LmBatcher plain = new LmBatcher(tok, ImageTransform.square(8), 32, 1, 1.0);
      LmBatcher packing = plain.packingTexts();
      SplittableRandom random = new SplittableRandom(1);
      int[][] texts = {plain.tokens(shape, random).sequence(), plain.tokens(count, random).sequence(),
          plain.tokens(caption, random).sequence()};
      int[] prompts = {plain.tokens(shape, random).promptLength(), plain.tokens(count, random).promptLength(), 1};
      // a group row and a single question, padded to the group's length
      LmBatch batch = packing.batch(List.of(group, count), new SplittableRandom(1));
      assertTrue(batch.packed());
      int t = batch.length();
      assertEquals(texts[0].length + texts[1].length + texts[2].length - 3, t);
      int at = 0;
      for (int k = 0; k < 3; k++) {
        for (int p = 0; p < texts[k].length - 1; p++, at++) {
          assertEquals(texts[k][p], batch.inputIds()[at], "input " + at);
          assertEquals(texts[k][p + 1], batch.targetIds()[at], "target " + at);
          assertEquals(p, batch.positions()[at], "position " + at);
          assertEquals(p + 1 >= prompts[k] ? 1f : 0f, batch.lossWeights()[at], "weight " + at);
          for (int key = 0; key < t; key++) {
            boolean sameText = key <= at && key >= at - p;
            assertEquals(sameText ? 1f : 0f, batch.textMask()[at * t + key], "mask " + at + "," + key);
          }
        }
      }
      // the single question: causal over itself, then padding that sees only itself and carries no loss
      int single = texts[1].length - 1;
      for (int q = 0; q < t; q++) {
        int base = (t + q) * t;
        for (int key = 0; key < t; key++) {
          boolean expected = q < single ? key <= q : key == q;
          assertEquals(expected ? 1f : 0f, batch.textMask()[base + key], "row 1 mask " + q + "," + key);
        }
        if (q >= single) {
          assertEquals(0f, batch.valid()[t + q]);
          assertEquals(0f, batch.lossWeights()[t + q]);
        }
      }
      // without packing, a group trains its first member only, as before
      LmBatch unpacked = plain.batch(List.of(group), new SplittableRandom(1));
      assertTrue(!unpacked.packed());
      assertEquals(texts[0].length - 1, unpacked.length());
    }
  }
}
