package dev.glimpse.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** ITM's negatives are the hardest in-batch ones, never a pair whose texts are equal. */
class HardNegativesTest {
  @Test
  void eachImageGetsItsMostSimilarOtherTextAndEachTextItsMostSimilarOtherImage() {
    float[][] similarity = {
        {0.9f, 0.8f, 0.1f, 0.7f},
        {0.2f, 0.9f, 0.6f, 0.5f},
        {0.3f, 0.95f, 0.9f, 0.1f},
        {0.4f, 0.1f, 0.2f, 0.9f}};
    long[] distinct = {1, 2, 3, 4};
    assertArrayEquals(new int[] {1, 2, 1, 0}, HardNegatives.textsFor(similarity, distinct));
    assertArrayEquals(new int[] {3, 2, 1, 0}, HardNegatives.imagesFor(similarity, distinct));
  }

  @Test
  void pairsWithEqualTextsAreNeverNegatives() {
    float[][] similarity = {
        {0.9f, 0.8f, 0.1f},
        {0.85f, 0.9f, 0.6f},
        {0.3f, 0.2f, 0.9f}};
    long[] keys = {7, 7, 8}; // texts 0 and 1 are the same caption
    assertArrayEquals(new int[] {2, 2, 0}, HardNegatives.textsFor(similarity, keys));
    assertArrayEquals(new int[] {2, 2, 1}, HardNegatives.imagesFor(similarity, keys));
    assertArrayEquals(new int[] {-1, -1}, HardNegatives.textsFor(new float[][] {{1, 0}, {0, 1}}, new long[] {3, 3}));
  }
}
