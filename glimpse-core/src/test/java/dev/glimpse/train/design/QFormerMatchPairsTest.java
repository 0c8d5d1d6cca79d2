package dev.glimpse.train.design;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * BLIP-2's ITM trains on the batch's true pairs and, for each image and each text, its hardest
 * in-batch negative (the most similar by ITC among those with another text), as {@link
 * QFormerObjective} builds them from the ITC similarities.
 */
class QFormerMatchPairsTest {
  @Test
  void truePairsThenEachImageWithItsHardestTextAndEachTextWithItsHardestImage() {
    float[][] similarity = { // image i (row) against text j (column)
        {0.9f, 0.2f, 0.7f},
        {0.1f, 0.8f, 0.3f},
        {0.6f, 0.5f, 0.9f}};
    QFormerObjective.MatchPairs p = QFormerObjective.matchPairs(similarity, new long[] {1, 2, 3});
    // image 0: hardest text 2 (0.7); text 0: hardest image 2 (0.6)
    // image 1: hardest text 2 (0.3); text 1: hardest image 2 (0.5)
    // image 2: hardest text 0 (0.6); text 2: hardest image 0 (0.7)
    assertArrayEquals(new long[] {0, 1, 2, 0, 2, 1, 2, 2, 0}, p.images());
    assertArrayEquals(new long[] {0, 1, 2, 2, 0, 2, 1, 0, 2}, p.texts());
    assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 0, 0, 0}, p.labels());
  }

  @Test
  void aCaptionEqualToTheImagesOwnIsNeverItsNegative() {
    float[][] similarity = {
        {0.9f, 0.95f, 0.1f},
        {0.9f, 0.9f, 0.2f},
        {0.3f, 0.4f, 0.9f}};
    // texts 0 and 1 are the same caption: image 0's hardest negative is text 2, not text 1
    QFormerObjective.MatchPairs p = QFormerObjective.matchPairs(similarity, new long[] {7, 7, 8});
    assertArrayEquals(new long[] {0, 1, 2, 0, 2, 1, 2, 2, 1}, p.images());
    assertArrayEquals(new long[] {0, 1, 2, 2, 0, 2, 1, 1, 2}, p.texts());
    assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 0, 0, 0}, p.labels());
  }
}
