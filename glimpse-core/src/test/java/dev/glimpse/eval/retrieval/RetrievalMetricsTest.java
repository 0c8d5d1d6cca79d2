package dev.glimpse.eval.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
  // 3 images; texts 0,1 -> image 0, texts 2,3 -> image 1, text 4 -> image 2
  private static final int[] OWNERS = {0, 0, 1, 1, 2};

  @Test
  void perfectMatrixHasRecallOne() {
    float[][] sim = {
      {0.9f, 0.8f, 0.1f, 0.2f, 0.0f},
      {0.1f, 0.0f, 0.9f, 0.7f, 0.2f},
      {0.0f, 0.1f, 0.2f, 0.3f, 0.9f}
    };
    RetrievalMetrics.Result r = RetrievalMetrics.retrieval(sim, OWNERS);
    assertEquals(new RetrievalMetrics.Direction(1, 1, 1, 1, 1), r.imageToText());
    assertEquals(new RetrievalMetrics.Direction(1, 1, 1, 1, 1), r.textToImage());
  }

  @Test
  void handComputedRanks() {
    float[][] sim = {
      {0.1f, 0.5f, 0.9f, 0.2f, 0.0f}, // image 0: best own text 1 (0.5) behind text 2 -> rank 2
      {0.3f, 0.0f, 0.1f, 0.2f, 0.4f}, // image 1: best own text 3 (0.2) behind texts 0, 4 -> rank 3
      {0.0f, 0.1f, 0.2f, 0.3f, 0.9f} // image 2: rank 1
    };
    RetrievalMetrics.Result r = RetrievalMetrics.retrieval(sim, OWNERS);
    assertEquals(1 / 3.0, r.imageToText().r1(), 1e-12);
    assertEquals(1.0, r.imageToText().r5(), 1e-12);
    assertEquals(2.0, r.imageToText().meanRank(), 1e-12);
    assertEquals(2.0, r.imageToText().medianRank(), 1e-12);
    // text ranks: t0: image 1 (0.3) above image 0 (0.1) -> 2; t1: 1; t2: images 0, 2 above -> 3;
    // t3: image 2 above and image 0 tied (ties count against) -> 3; t4: 1
    assertEquals(2 / 5.0, r.textToImage().r1(), 1e-12);
    assertEquals(10 / 5.0, r.textToImage().meanRank(), 1e-12);
    assertEquals(2.0, r.textToImage().medianRank(), 1e-12);
  }

  @Test
  void tiesCountAgainstTheQuery() {
    float[][] constant = new float[3][5];
    RetrievalMetrics.Result r = RetrievalMetrics.retrieval(constant, OWNERS);
    assertEquals(0.0, r.imageToText().r1());
    assertEquals(0.0, r.textToImage().r1());
    assertEquals(3.0, r.textToImage().meanRank());
  }

  @Test
  void zeroShotTopOneAndTopFive() {
    float[][] logits = {
      {5, 1, 0, 0, 0, 0, 0},
      {1, 5, 6, 7, 8, 9, 0}, // label 1 is 5th
      {1, 2, 3, 4, 5, 6, 7} // label 0 is last
    };
    RetrievalMetrics.ZeroShot z = RetrievalMetrics.zeroShot(logits, new int[] {0, 1, 0});
    assertEquals(1 / 3.0, z.top1(), 1e-12);
    assertEquals(2 / 3.0, z.top5(), 1e-12);
    assertEquals(3, z.samples());
  }

  @Test
  void badInputsAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrievalMetrics.retrieval(new float[][] {{1, 2}, {3}}, new int[] {0, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrievalMetrics.retrieval(new float[2][2], new int[] {0, 2}));
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrievalMetrics.retrieval(new float[2][2], new int[] {0, 0}));
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrievalMetrics.retrieval(new float[][] {{Float.NaN}}, new int[] {0}));
    assertThrows(
        IllegalArgumentException.class,
        () -> RetrievalMetrics.zeroShot(new float[][] {{1, 2}}, new int[] {2}));
  }
}
