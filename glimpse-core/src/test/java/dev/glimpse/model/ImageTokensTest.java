package dev.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.util.GlimpseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Image tokens in prompts as the HF processors write them (9 = image token, 3 per image). */
class ImageTokensTest {
  static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  static NDArray ids(int rows, long... values) {
    return manager.create(values, new Shape(rows, values.length / rows));
  }

  static NDArray valid(int rows, float... values) {
    return manager.create(values, new Shape(rows, values.length / rows));
  }

  @Test
  void promptsWithAllImageTokensAreKept() {
    NDArray ids = ids(1, 1, 9, 9, 9, 5);
    ImageTokens.Prompt p = ImageTokens.ensure(ids, valid(1, 1, 1, 1, 1, 1), 9, 3, 1);
    assertTrue(p.ids() == ids);
    assertFalse(p.insertedInEveryRow());
  }

  @Test
  void missingImageTokensAreInsertedAndPlaceholdersExpanded() {
    // row 0: no image token (inserted after BOS); row 1: one <image> placeholder, right-padded
    ImageTokens.Prompt p = ImageTokens.ensure(ids(2, 1, 5, 6, 0, 1, 9, 7, 0), valid(2, 1, 1, 1, 0, 1, 1, 1, 0), 9, 3,
        1);
    assertArrayEquals(new long[] {1, 9, 9, 9, 5, 6, 0, 1, 9, 9, 9, 7, 0, 0}, p.ids().toLongArray());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0}, p.valid().toFloatArray());
    assertFalse(p.insertedInEveryRow());
    ImageTokens.Prompt front = ImageTokens.ensure(ids(1, 2, 5), valid(1, 1, 1), 9, 3, 0);
    assertArrayEquals(new long[] {9, 9, 9, 2, 5}, front.ids().toLongArray());
    assertTrue(front.insertedInEveryRow());
  }

  @Test
  void wrongNumberOfImageTokensIsAnError() {
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> ImageTokens.ensure(ids(1, 1, 9, 9, 5), valid(1, 1, 1, 1, 1), 9, 3, 1));
    assertTrue(e.getMessage().contains("2 image tokens"), e.getMessage());
  }

  @Test
  void scatterReplacesImageRowsInOrder() {
    NDArray embeddings = manager.zeros(new Shape(2, 3, 2));
    NDArray visual = manager.create(new float[] {1, 1, 2, 2}, new Shape(2, 1, 2));
    NDArray out = ImageTokens.scatter(embeddings, ids(2, 9, 4, 4, 4, 9, 4), visual, 9);
    assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0}, out.toFloatArray());
  }
}
