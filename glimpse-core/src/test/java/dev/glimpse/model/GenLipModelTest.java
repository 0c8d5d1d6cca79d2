package dev.glimpse.model;

import dev.glimpse.nn.TransformerConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.data.NativeImage;
import dev.glimpse.data.PackedBatch;
import dev.glimpse.data.PackedBatcher;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.PatchEmbed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GenLIP: shapes at any grid, the prefix-LM mask, the vision tower, packing equivalence (a packed
 * batch of wide, tall and square images gives each image's logits alone), batched native decoding,
 * and a save/load round trip.
 */
class GenLipModelTest {
  static final int VOCAB = 40;
  static final int PATCH = 4;
  static final int START = 64;
  static NDManager manager;
  static ParameterStore store;
  static GenLipModel model;

  @TempDir Path dir;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    store = new ParameterStore(manager, 11);
    model = new GenLipModel(store.root(), config());
  }

  static GenLipConfig config() {
    return GenLipConfig.of(12, PATCH, TransformerConfig.preLn(32, 2, 2)).withVocabSize(VOCAB).withMaxTextPositions(16).withInitStd(0.2).withNativeResolution(9, 6, 9);
  }

  @AfterAll
  static void tearDown() {
    store.close();
    manager.close();
  }

  private static float[] gaussian(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) r.nextGaussian();
    }
    return out;
  }

  private static NDArray pixels(long seed, int b, int h, int w) {
    return manager.create(gaussian(seed, b * 3 * h * w), new Shape(b, 3, h, w));
  }

  private static NativeImage image(long seed, int gh, int gw) {
    float[] chw = gaussian(seed, 3 * gh * PATCH * gw * PATCH);
    return new NativeImage(gh, gw, 3 * PATCH * PATCH, PatchEmbed.patchify(chw, 3, gh * PATCH, gw * PATCH, PATCH));
  }

  private static NDArray ids(int rows, long... values) {
    return manager.create(values).reshape(rows, values.length / rows);
  }

  private static float maxDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    float d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  @Test
  void shapesAtTheTrainedGridAndAtANewOne() {
    NDArray valid = manager.ones(new Shape(2, 4));
    NDArray square = model.forward(pixels(1, 2, 12, 12), ids(2, 1, 5, 6, 7, 1, 8, 9, 10), valid);
    assertEquals(new Shape(2, 4, VOCAB), square.getShape());
    NDArray wide = model.forward(pixels(1, 2, 8, 20), ids(2, 1, 5, 6, 7, 1, 8, 9, 10), valid);
    assertEquals(new Shape(2, 4, VOCAB), wide.getShape());
    assertEquals(new Shape(2, 10, 32), model.encodeImages(pixels(2, 2, 8, 20)).getShape());
  }

  @Test
  void laterTextChangesNoEarlierLogitAndVisualTokensIgnoreText() {
    NDArray pixels = pixels(3, 2, 12, 12);
    NDArray valid = manager.ones(new Shape(2, 4));
    float[] a = model.forward(pixels, ids(2, 1, 5, 6, 7, 1, 8, 9, 10), valid).toFloatArray();
    float[] b = model.forward(pixels, ids(2, 1, 5, 6, 30, 1, 8, 9, 31), valid).toFloatArray();
    for (int row = 0; row < 2; row++) {
      for (int t = 0; t < 4; t++) {
        int from = (row * 4 + t) * VOCAB;
        float d = maxDiff(java.util.Arrays.copyOfRange(a, from, from + VOCAB),
            java.util.Arrays.copyOfRange(b, from, from + VOCAB));
        if (t < 3) {
          assertEquals(0f, d, 1e-6f, "row " + row + " position " + t);
        } else {
          assertTrue(d > 1e-4, "the changed position must change");
        }
      }
    }
    // visual hidden states: the same whatever the text, and what the vision tower returns
    NDArray hiddenA = model.forwardHidden(pixels, ids(2, 1, 5, 6, 7, 1, 8, 9, 10), valid).get(":, :9, :");
    NDArray hiddenB = model.forwardHidden(pixels, ids(2, 1, 22, 3, 3, 1, 2, 2, 2), valid).get(":, :9, :");
    assertEquals(0f, maxDiff(hiddenA.toFloatArray(), hiddenB.toFloatArray()), 1e-6f);
    NDArray tower = model.encodeImages(pixels);
    assertEquals(new Shape(2, 9, 32), tower.getShape());
    assertEquals(0f, maxDiff(hiddenA.toFloatArray(), tower.toFloatArray()), 1e-5f);
  }

  @Test
  void packedBatchOfDifferentShapesEqualsEachImageAlone() {
    List<PackedBatcher.Sequence> seqs = List.of(
        new PackedBatcher.Sequence(image(5, 2, 5), new int[] {1, 4, 5, 6, 2}, 1),     // wide
        new PackedBatcher.Sequence(image(6, 5, 2), new int[] {1, 7, 2}, 1),           // tall
        new PackedBatcher.Sequence(image(7, 3, 3), new int[] {1, 8, 9, 10, 11, 2}, 1)); // square
    PackedBatch packed = PackedBatcher.pack(seqs, 40, START, 0);
    assertTrue(packed.rows() < seqs.size(), "some row must hold two sequences");
    PackedBatch naive = PackedBatcher.pack(seqs, 0, START, 0);
    float[] packedLogits = model.forwardPacked(packed, packed.toTensors(manager)).toFloatArray();
    float[] naiveLogits = model.forwardPacked(naive, naive.toTensors(manager)).toFloatArray();
    for (int i = 0; i < seqs.size(); i++) {
      PackedBatch alone = PackedBatcher.pack(List.of(seqs.get(i)), 0, START, 0);
      float[] aloneLogits = model.forwardPacked(alone, alone.toTensors(manager)).toFloatArray();
      int len = seqs.get(i).length();
      float[] fromPacked = slice(packedLogits, packed, packed.rowOf(i), packed.offsetOf(i), len);
      float[] fromNaive = slice(naiveLogits, naive, naive.rowOf(i), naive.offsetOf(i), len);
      assertEquals(0f, maxDiff(aloneLogits, fromPacked), 1e-5f, "sequence " + i + " packed");
      assertEquals(0f, maxDiff(aloneLogits, fromNaive), 1e-5f, "sequence " + i + " padded");
    }
    // and the packed path computes what the fixed-resolution path does for a square image
    float[] chw = gaussian(7, 3 * 12 * 12);
    NDArray text = ids(1, 1, 8, 9, 10, 11);
    float[] fixed = model.forward(manager.create(chw, new Shape(1, 3, 12, 12)), text, manager.ones(new Shape(1, 5)))
        .toFloatArray();
    float[] square = slice(packedLogits, packed, packed.rowOf(2), packed.offsetOf(2) + 9, 5);
    assertEquals(0f, maxDiff(fixed, square), 1e-5f);
  }

  private static float[] slice(float[] logits, PackedBatch b, int row, int offset, int len) {
    int from = (row * b.length() + offset) * VOCAB;
    return java.util.Arrays.copyOfRange(logits, from, from + len * VOCAB);
  }

  @Test
  void batchedNativeDecodingEqualsEachImageAlone() {
    List<NativeImage> images = List.of(image(8, 2, 4), image(9, 4, 2), image(10, 3, 3));
    NDArray prompt = ids(3, 1, 1, 1);
    NDArray valid = manager.ones(new Shape(3, 1));
    long[] next = {4, 5, 6};
    try (DecodeState batch = model.prefillNative(images, prompt, valid, true);
        DecodeState uncached = model.prefillNative(images, prompt, valid, false)) {
      float[] first = batch.logits().toFloatArray();
      model.step(batch, next, manager);
      model.step(uncached, next, manager);
      float[] second = batch.logits().toFloatArray();
      assertEquals(0f, maxDiff(second, uncached.logits().toFloatArray()), 1e-5f, "cache vs recompute");
      for (int i = 0; i < images.size(); i++) {
        try (DecodeState alone = model.prefillNative(List.of(images.get(i)), ids(1, 1), manager.ones(new Shape(1, 1)),
            true)) {
          assertEquals(0f, maxDiff(java.util.Arrays.copyOfRange(first, i * VOCAB, (i + 1) * VOCAB),
              alone.logits().toFloatArray()), 1e-5f, "prefill " + i);
          model.step(alone, new long[] {next[i]}, manager);
          assertEquals(0f, maxDiff(java.util.Arrays.copyOfRange(second, i * VOCAB, (i + 1) * VOCAB),
              alone.logits().toFloatArray()), 1e-5f, "step " + i);
        }
      }
    }
  }

  @Test
  void visionTowerOfNativeImagesMatchesTheFixedPath() {
    float[] chw = gaussian(12, 3 * 8 * 12);
    NativeImage wide = new NativeImage(2, 3, 48, PatchEmbed.patchify(chw, 3, 8, 12, PATCH));
    GenLipModel.VisualTokens tokens = model.encodeNative(List.of(wide, image(13, 3, 3)), manager);
    assertEquals(new Shape(2, 9, 32), tokens.tokens().getShape());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 0, 0}, java.util.Arrays.copyOf(tokens.valid().toFloatArray(), 9));
    float[] fixed = model.encodeImages(manager.create(chw, new Shape(1, 3, 8, 12))).toFloatArray();
    float[] first = tokens.tokens().get("0, :6, :").toFloatArray();
    assertEquals(0f, maxDiff(fixed, first), 1e-5f);
  }

  @Test
  void configAndWeightsRoundTrip() throws Exception {
    GenLipConfig cfg = config();
    ModelConfig parsed = Models.parse(GenLipConfig.TYPE, Models.toJson(cfg), "test");
    assertEquals(cfg, parsed);
    Path file = dir.resolve("weights.safetensors");
    store.save(file, Map.of());
    assertTrue(Files.size(file) > 0);
    try (NDManager m = NDManager.newBaseManager(); ParameterStore other = new ParameterStore(m, 99)) {
      GenLipModel copy = (GenLipModel) Models.create(parsed, other.root());
      other.load(file);
      NDArray pixels = m.create(gaussian(14, 3 * 12 * 12), new Shape(1, 3, 12, 12));
      NDArray text = m.create(new long[] {1, 5, 6}).reshape(1, 3);
      float[] a = model.forward(pixels, text, m.ones(new Shape(1, 3))).toFloatArray();
      float[] b = copy.forward(pixels, text, m.ones(new Shape(1, 3))).toFloatArray();
      assertArrayEquals(a, b, 0f);
    }
  }

  @Test
  void stageTwoKeepsTheArchitectureAndTakesTheRecipesInput() {
    GenLipConfig stage1 = GenLipConfig.of(12, PATCH, TransformerConfig.preLn(32, 2, 2)).withVocabSize(77).withMaxTextPositions(16);
    ModelConfig stage2 = stage1.continuedUnder(config());
    GenLipConfig g = (GenLipConfig) stage2;
    assertEquals(77, g.vocabSize());
    assertEquals(9, g.maxPatches());
    assertArrayEquals(new int[] {6, 9}, g.budgets());
    assertTrue(g.isNative() && !stage1.isNative());
    List<Integer> none = new ArrayList<>();
    assertEquals(stage1, stage1.continuedUnder(GitConfig.tiny(5)), none.toString());
  }
}
