package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BlocksShapeTest {
  static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static NDArray x(long... shape) {
    return manager.randomNormal(new Shape(shape));
  }

  @Test
  void attentionSelfCrossAndCache() {
    try (ParameterStore store = new ParameterStore(manager, 1)) {
      TransformerConfig cfg = TransformerConfig.preLn(32, 1, 4);
      Attention self = new Attention(store.root().sub("self"), cfg, 32);
      Attention cross = new Attention(store.root().sub("cross"), cfg, 48);
      assertEquals(new Shape(2, 5, 32), self.forward(x(2, 5, 32), null, null, null).getShape());
      assertEquals(new Shape(2, 5, 32), cross.crossForward(x(2, 5, 32), x(2, 7, 48), null, null).getShape());
      KvCache cache = new KvCache(1);
      self.forward(x(2, 5, 32), null, cache.layer(0), null);
      assertEquals(5, cache.length());
      assertEquals(new Shape(2, 1, 32), self.forward(x(2, 1, 32), null, cache.layer(0), null).getShape());
      assertEquals(6, cache.length());
      assertEquals(new Shape(2, 4, 6, 8), cache.layer(0).keys().getShape());
      cache.select(manager.create(new long[] {1, 1, 0}));
      assertEquals(new Shape(3, 4, 6, 8), cache.layer(0).keys().getShape());
      cache.close();
    }
  }

  /**
   * Decoding with a cache (a prefill, then one-query steps whose heads are split and merged by
   * reshapes alone) gives the outputs of one causal pass over the whole sequence: plain heads with
   * biases, and grouped-query heads with rotary positions and no biases.
   */
  @Test
  void cachedDecodingMatchesOneCausalPass() {
    TransformerConfig plain = TransformerConfig.preLn(32, 1, 4);
    TransformerConfig gqaRope = new TransformerConfig(32, 1, 4, 2, 64, NormType.RMS_NORM, 1e-6, true, true,
        ActivationType.SILU, true, false, false, 10_000, 0.2);
    for (TransformerConfig cfg : new TransformerConfig[] {plain, gqaRope}) {
      try (ParameterStore store = new ParameterStore(manager, 3);
          KvCache cache = new KvCache(1)) {
        Attention attention = new Attention(store.root().sub("a"), cfg, 32);
        RotaryEmbedding rotary = cfg.ropeTheta() > 0 ? new RotaryEmbedding(cfg.headDim(), cfg.ropeTheta()) : null;
        NDArray x = x(2, 6, 32);
        NDArray causal = AttentionMask.builder().segment("text", 6, true).build().toArray(manager);
        NDArray full = attention.forward(x, causal, null, rope(rotary, 0, 6));           // [2, 6, 32]
        NDArray prefillMask = AttentionMask.builder().segment("text", 4, true).build().toArray(manager);
        NDArray prefill = attention.forward(x.get(":, 0:4, :"), prefillMask, cache.layer(0), rope(rotary, 0, 4));
        assertArrayEquals(full.get(":, 0:4, :").toFloatArray(), prefill.toFloatArray(), 1e-5f);
        for (int t = 4; t < 6; t++) {
          NDArray step = attention.forward(x.get(":, " + t + ":" + (t + 1) + ", :"), null, cache.layer(0),
              rope(rotary, t, t + 1));
          assertArrayEquals(full.get(":, " + t + ":" + (t + 1) + ", :").toFloatArray(), step.toFloatArray(), 1e-5f,
              "step " + t + " of " + cfg);
        }
      }
    }
  }

  // rotary tables for positions from..to-1 of two rows, or null without rotary positions
  private static NDArray[] rope(RotaryEmbedding rotary, long from, long to) {
    if (rotary == null) {
      return null;
    }
    return rotary.tables(manager.arange(from, to, 1, DataType.INT64).reshape(1, to - from).repeat(0, 2));
  }

  @Test
  void blockWithCrossAttentionAndStackHiddenStates() {
    try (ParameterStore store = new ParameterStore(manager, 1)) {
      TransformerConfig cfg = TransformerConfig.preLn(32, 3, 4);
      TransformerBlock block = new TransformerBlock(store.root().sub("b"), cfg, 16);
      assertEquals(new Shape(2, 4, 32),
          block.forward(x(2, 4, 32), null, null, null, x(2, 9, 16), null, null).getShape());
      Transformer stack = new Transformer(store.root().sub("t"), cfg);
      List<NDArray> hidden = new ArrayList<>();
      NDArray out = stack.forward(x(2, 4, 32), null, null, null, null, hidden);
      assertEquals(new Shape(2, 4, 32), out.getShape());
      assertEquals(4, hidden.size()); // input + one per layer
    }
  }

  @Test
  void patchEmbedAndVitOnNonSquareImages() {
    try (ParameterStore store = new ParameterStore(manager, 1)) {
      PatchEmbed patch = new PatchEmbed(store.root().sub("p"), 3, 8, 24, true, 0.02);
      assertEquals(new Shape(2, 6, 24), patch.forward(x(2, 3, 16, 24)).getShape());
      assertThrows(IllegalArgumentException.class, () -> patch.forward(x(2, 3, 15, 24)));
      VisionConfig cfg = new VisionConfig(32, 8, 3, TransformerConfig.preLn(24, 1, 4), true, false, true, true);
      VisionTransformer vit = new VisionTransformer(store.root().sub("vit"), cfg);
      assertEquals(new Shape(2, 17, 24), vit.forward(x(2, 3, 32, 32)).getShape());
      assertEquals(new Shape(1, 1 + 3 * 6, 24), vit.forward(x(1, 3, 24, 48)).getShape());
      assertEquals(19, vit.numTokens(24, 48));
    }
  }

  @Test
  void textEmbeddingWithOffsetAndHeads() {
    try (ParameterStore store = new ParameterStore(manager, 1)) {
      TextEmbedding emb = new TextEmbedding(store.root().sub("e"), 30, 16, 10, 2, NormType.LAYER_NORM, 1e-5, 0.02);
      assertEquals(12, store.get("e.position_embedding").shape().get(0));
      assertEquals(10, emb.maxPositions());
      NDArray ids = manager.create(new long[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
      NDArray pos = manager.arange(0, 3, 1, DataType.INT64).reshape(1, 3).repeat(0, 2);
      NDArray h = emb.forward(ids, pos);
      assertEquals(new Shape(2, 3, 16), h.getShape());
      assertEquals(new Shape(2, 3, 30), LmHead.tied(emb).forward(h).getShape());
      LmHead untied = LmHead.untied(store.root().sub("head"), 16, 30, true, 0.02);
      assertEquals(new Shape(2, 3, 30), untied.forward(h).getShape());
    }
  }

  @Test
  void configValidationNamesTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TransformerConfig.preLn(30, 2, 4));
    assertEquals("width 30 is not divisible by heads 4", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new VisionConfig(30, 8, 3, TransformerConfig.preLn(32, 1, 4), false, true, false, false));
  }
}
