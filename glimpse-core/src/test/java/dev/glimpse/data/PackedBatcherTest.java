package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.nn.AttentionMask;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Packing: whole sequences per row, block-diagonal prefix-LM masks, positions restarting per sequence. */
class PackedBatcherTest {
  private static PackedBatcher.Sequence sequence(int gh, int gw, int textIds) {
    int[] tokens = new int[textIds];
    for (int i = 0; i < textIds; i++) {
      tokens[i] = 10 + i;
    }
    return new PackedBatcher.Sequence(new NativeImage(gh, gw, 2, new float[gh * gw * 2]), tokens, 1);
  }

  private static boolean allowed(PackedBatch b, int row, int q, int k) {
    return b.mask()[(row * b.length() + q) * b.length() + k] == 0f;
  }

  @Test
  void packsSequencesWithBlockDiagonalPrefixLmMasks() {
    // lengths: 2*3 + 3 = 9, 1*2 + 2 = 4, 2*2 + 4 = 8
    List<PackedBatcher.Sequence> seqs = List.of(sequence(2, 3, 4), sequence(1, 2, 3), sequence(2, 2, 5));
    PackedBatch b = PackedBatcher.pack(seqs, 13, 64, 0);
    assertEquals(2, b.rows()); // longest first: [9 + 4], [8]
    assertEquals(13, b.length());
    assertEquals(21, b.realTokens());
    // row 0: sequence A at 0..8 (6 patches, 3 text), sequence B at 9..12 (2 patches, 2 text)
    assertTrue(allowed(b, 0, 0, 5));       // patch sees patch
    assertTrue(!allowed(b, 0, 0, 6));      // patch does not see text
    assertTrue(allowed(b, 0, 7, 0));       // text sees patches
    assertTrue(allowed(b, 0, 7, 6) && !allowed(b, 0, 6, 7)); // text is causal
    for (int q = 0; q < 9; q++) {
      for (int k = 9; k < 13; k++) {
        assertTrue(!allowed(b, 0, q, k) && !allowed(b, 0, k, q), q + "," + k); // sequences apart
      }
    }
    // positions restart: B's first patch at (0, 0), its text on the diagonal from 64
    assertEquals(0, b.rowPositions()[9]);
    assertEquals(1, b.columnPositions()[10]);
    assertEquals(64, b.rowPositions()[11]);
    assertEquals(65, b.columnPositions()[12]);
    assertEquals(1, b.rowPositions()[3]); // A's patch 3 is row 1, column 0 of its 2x3 grid
    assertEquals(0, b.columnPositions()[3]);
    // row 1 holds C (8 tokens) then 5 padding positions that no real token sees
    for (int q = 0; q < 8; q++) {
      for (int k = 8; k < 13; k++) {
        assertTrue(!allowed(b, 1, q, k));
      }
    }
    assertEquals(1f, b.lossWeights()[13 + 7]);
    assertEquals(0f, b.lossWeights()[13 + 8]);
    assertEquals(1f, b.visual()[13]);
    assertEquals(0f, b.visual()[13 + 4]);
    assertEquals(AttentionMask.BLOCKED, b.mask()[(13 + 0) * 13 + 12]);
    // loss on text targets after the prompt (promptLength 1): every text position of A
    assertEquals(3 + 2 + 4, b.targetTokens());
  }

  @Test
  void onePerRowPadsToTheLongest() {
    List<PackedBatcher.Sequence> seqs = List.of(sequence(2, 3, 4), sequence(1, 2, 3), sequence(2, 2, 5));
    PackedBatch b = PackedBatcher.pack(seqs, 0, 64, 0);
    assertEquals(3, b.rows());
    assertEquals(9, b.length());
    assertEquals(27, b.computedTokens());
    assertEquals(21, b.realTokens());
  }

  @Test
  void longestCapacityPacksShortSequencesWithoutLongerRows() {
    List<PackedBatcher.Sequence> seqs = List.of(sequence(2, 3, 4), sequence(1, 2, 3), sequence(2, 2, 5),
        sequence(1, 2, 3));
    PackedBatch b = PackedBatcher.pack(seqs, PackedBatcher.LONGEST, 64, 0);
    assertEquals(9, b.length()); // 9 | 8 | 4 + 4
    assertEquals(3, b.rows());
    assertEquals(b.rowOf(1), b.rowOf(3));
    assertEquals(4, Math.abs(b.offsetOf(3) - b.offsetOf(1))); // side by side in one row
  }
}
