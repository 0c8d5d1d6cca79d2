package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class AttentionMaskTest {
  private static String pattern(AttentionMask m) {
    StringBuilder sb = new StringBuilder();
    for (int q = 0; q < m.length(); q++) {
      for (int k = 0; k < m.length(); k++) {
        sb.append(m.allowed(q, k) ? '1' : '.');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  @Test
  void gitSeq2SeqPattern() {
    AttentionMask m = AttentionMask.builder().segment("image", 2, false).segment("text", 3, true)
        .see("text", "image").build();
    assertEquals(String.join("\n", "11...", "11...", "111..", "1111.", "11111", ""), pattern(m));
  }

  @Test
  void causalOnly() {
    AttentionMask m = AttentionMask.builder().segment("text", 3, true).build();
    assertEquals("1..\n11.\n111\n", pattern(m));
  }

  @Test
  void packedSequencesAreBlockDiagonal() {
    AttentionMask m = AttentionMask.builder()
        .segment("image", 1, false).segment("text", 2, true).see("text", "image")
        .nextSequence()
        .segment("image", 2, false).segment("text", 1, true).see("text", "image")
        .build();
    assertEquals(String.join("\n",
        "1.....", "11....", "111...", "...11.", "...11.", "...111", ""), pattern(m));
  }

  @Test
  void additiveArraysWithKeyPadding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      AttentionMask m = AttentionMask.builder().segment("text", 3, true).build();
      NDArray valid = manager.create(new float[] {1, 1, 0, 1, 1, 1}, new Shape(2, 3));
      NDArray mask = m.toArray(manager, valid);
      assertEquals(new Shape(2, 1, 3, 3), mask.getShape());
      float[] v = mask.toFloatArray();
      // row 0 (batch 0), query 2 cannot see key 2 (padding) even though causal allows it
      assertEquals(0f, v[2 * 3 + 1]);
      assertEquals(true, v[2 * 3 + 2] < -1e8);
      // batch 1 has no padding: query 2 sees key 2
      assertEquals(0f, v[9 + 2 * 3 + 2]);
    }
  }

  @Test
  void duplicateSegmentIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> AttentionMask.builder().segment("a", 1, false).segment("a", 2, false));
  }

  @Test
  void interleavedTextSeesOnlyTheImageJustBeforeIt() {
    // 2 images of 2 tokens; text: 1 token before any image, 2 after image 0, 3 after image 1
    int[] media = {-1, 0, 0, 1, 1, 1};
    AttentionMask m = AttentionMask.interleaved(media, 2, 2);
    float[] block = m.block(4, 6, 0, 4); // text rows, image columns
    String[] expected = {"....", "11..", "11..", "..11", "..11", "..11"};
    for (int t = 0; t < 6; t++) {
      StringBuilder row = new StringBuilder();
      for (int k = 0; k < 4; k++) {
        row.append(block[t * 4 + k] == 0 ? '1' : '.');
      }
      assertEquals(expected[t], row.toString(), "text token " + t);
    }
    assertThrows(IllegalArgumentException.class, () -> AttentionMask.interleaved(new int[] {1, 0}, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> AttentionMask.interleaved(new int[] {0, 2}, 2, 2));
  }
}
