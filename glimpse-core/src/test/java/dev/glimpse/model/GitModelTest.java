package dev.glimpse.model;

import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.nn.ParameterStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GitModelTest {
  static NDManager manager;
  static ParameterStore store;
  static GitModel model;
  static final int VOCAB = 50;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    store = new ParameterStore(manager, 7);
    GitConfig cfg = GitConfig.of(VisionConfig.vit(16, 8, TransformerConfig.preLn(32, 2, 4)), TransformerConfig.preLn(32, 2, 4)).withVocabSize(VOCAB).withMaxTextPositions(16);
    model = new GitModel(store.root(), cfg);
  }

  @AfterAll
  static void tearDown() {
    store.close();
    manager.close();
  }

  private static NDArray pixels(long seed) {
    return manager.randomNormal(0, 1, new Shape(2, 3, 16, 16), DataType.FLOAT32)
        .mul(0).add(manager.create(randomFloats(seed, 2 * 3 * 16 * 16), new Shape(2, 3, 16, 16)));
  }

  private static float[] randomFloats(long seed, int n) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) r.nextGaussian();
    }
    return out;
  }

  private static NDArray ids(long... values) {
    return manager.create(values).reshape(2, values.length / 2);
  }

  @Test
  void outputShapes() {
    NDArray logits = model.forward(pixels(1), ids(1, 5, 6, 7, 1, 8, 9, 10), manager.ones(new Shape(2, 4)));
    assertEquals(new Shape(2, 4, VOCAB), logits.getShape());
    NDArray full = model.forwardFull(pixels(1), ids(1, 5, 6, 7, 1, 8, 9, 10), manager.ones(new Shape(2, 4)), null);
    assertEquals(new Shape(2, 4 + 4, VOCAB), full.getShape());
  }

  @Test
  void laterTextTokenChangesNoEarlierLogit() {
    NDArray valid = manager.ones(new Shape(2, 4));
    float[] a = model.forward(pixels(1), ids(1, 5, 6, 7, 1, 8, 9, 10), valid).toFloatArray();
    float[] b = model.forward(pixels(1), ids(1, 5, 6, 30, 1, 8, 9, 31), valid).toFloatArray();
    // positions 0..2 of each row identical, position 3 differs
    for (int row = 0; row < 2; row++) {
      for (int t = 0; t < 4; t++) {
        float maxDiff = 0;
        for (int v = 0; v < VOCAB; v++) {
          int i = (row * 4 + t) * VOCAB + v;
          maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        }
        if (t < 3) {
          assertEquals(0f, maxDiff, 0f, "row " + row + " position " + t);
        } else {
          assertTrue(maxDiff > 1e-4, "last position must change");
        }
      }
    }
  }

  @Test
  void imagePixelsChangeEveryTextLogit() {
    NDArray valid = manager.ones(new Shape(2, 4));
    NDArray ids = ids(1, 5, 6, 7, 1, 8, 9, 10);
    float[] a = model.forward(pixels(1), ids, valid).toFloatArray();
    float[] b = model.forward(pixels(2), ids, valid).toFloatArray();
    for (int pos = 0; pos < 8; pos++) {
      float maxDiff = 0;
      for (int v = 0; v < VOCAB; v++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[pos * VOCAB + v] - b[pos * VOCAB + v]));
      }
      assertTrue(maxDiff > 1e-4, "text position " + pos + " must depend on the image");
    }
  }

  @Test
  void textChangesNoImageTokenOutput() {
    NDArray valid = manager.ones(new Shape(2, 4));
    int n = model.config().imageTokens();
    java.util.List<NDArray> hiddenA = new java.util.ArrayList<>();
    java.util.List<NDArray> hiddenB = new java.util.ArrayList<>();
    NDArray fa = model.forwardFull(pixels(1), ids(1, 5, 6, 7, 1, 8, 9, 10), valid, hiddenA);
    NDArray fb = model.forwardFull(pixels(1), ids(1, 11, 12, 13, 1, 14, 15, 16), valid, hiddenB);
    assertArrayEquals(fa.get(":, :" + n + ", :").toFloatArray(), fb.get(":, :" + n + ", :").toFloatArray(), 0f);
    for (int layer = 0; layer < hiddenA.size(); layer++) {
      assertArrayEquals(hiddenA.get(layer).get(":, :" + n + ", :").toFloatArray(),
          hiddenB.get(layer).get(":, :" + n + ", :").toFloatArray(), 0f, "layer " + layer);
    }
    assertTrue(!java.util.Arrays.equals(fa.get(":, " + n + ":, :").toFloatArray(),
        fb.get(":, " + n + ":, :").toFloatArray()));
  }

  @Test
  void packedTextsGiveTheLogitsEachTextGetsAlone() {
    // row 0 packs [1 5 6] and [1 8 9 10]; row 1 packs [1 11] and [1 12 13], then one padding token
    long[] packed = {1, 5, 6, 1, 8, 9, 10, 1, 11, 1, 12, 13, 0, 0};
    long[] positions = {0, 1, 2, 0, 1, 2, 3, 0, 1, 0, 1, 2, 0, 0};
    int[][] starts = {{0, 3, 7}, {0, 2, 5}};
    int t = 7;
    float[] allowed = new float[2 * t * t];
    for (int row = 0; row < 2; row++) {
      for (int q = 0; q < t; q++) {
        int segment = starts[row][1] <= q ? 1 : 0;
        boolean pad = q >= starts[row][2];
        for (int k = 0; k < t; k++) {
          boolean ok = pad ? k == q : k <= q && k >= starts[row][segment];
          allowed[(row * t + q) * t + k] = ok ? 1 : 0;
        }
      }
    }
    NDArray pixels = pixels(3);
    float[] out = model.forwardPacked(pixels, manager.create(packed).reshape(2, t),
        manager.create(positions).reshape(2, t), manager.create(allowed, new Shape(2, t, t))).toFloatArray();
    for (int row = 0; row < 2; row++) {
      NDArray image = pixels.get(row + ":" + (row + 1));
      for (int segment = 0; segment < 2; segment++) {
        int from = starts[row][segment];
        int to = starts[row][segment + 1];
        long[] alone = java.util.Arrays.copyOfRange(packed, row * t + from, row * t + to);
        float[] expected = model.forward(image, manager.create(alone).reshape(1, alone.length),
            manager.ones(new Shape(1, alone.length))).toFloatArray();
        float[] actual = java.util.Arrays.copyOfRange(out, (row * t + from) * VOCAB, (row * t + to) * VOCAB);
        assertArrayEquals(expected, actual, 1e-4f, "row " + row + " text " + segment);
      }
    }
    assertTrue(model.takesPackedTexts());
  }
}
