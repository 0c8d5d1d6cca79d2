package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Blocks against outputs computed independently with NumPy in float64
 * ({@code src/test/resources/reference/make_reference.py} -> {@code blocks.json}).
 */
class BlocksReferenceTest {
  static JsonObject cases;
  static NDManager manager;

  @BeforeAll
  static void load() throws Exception {
    try (var in = BlocksReferenceTest.class.getResourceAsStream("/reference/blocks.json")) {
      cases = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject()
          .getAsJsonObject("cases");
    }
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static NDArray array(JsonObject t) {
    JsonArray shapeJson = t.getAsJsonArray("shape");
    long[] shape = new long[shapeJson.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeJson.get(i).getAsLong();
    }
    JsonArray data = t.getAsJsonArray("data");
    float[] v = new float[data.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = data.get(i).getAsFloat();
    }
    return manager.create(v, new Shape(shape));
  }

  /** Copies the case's parameters into the store; every one must exist with the same shape, and vice versa. */
  static void assign(ParameterStore store, JsonObject params) {
    assertEquals(params.size(), store.all().size(), "parameter count");
    for (Map.Entry<String, JsonElement> e : params.entrySet()) {
      Parameter p = store.get(e.getKey());
      NDArray values = array(e.getValue().getAsJsonObject());
      assertEquals(values.getShape(), p.shape(), e.getKey());
      p.array().set(values.toFloatArray());
    }
  }

  static void assertClose(JsonObject expected, NDArray actual) {
    NDArray want = array(expected);
    assertEquals(want.getShape(), actual.getShape());
    float[] a = want.toFloatArray();
    float[] b = actual.toFloatArray();
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    assertTrue(max < 1e-4, "max |diff| = " + max);
  }

  static JsonObject c(String name) {
    return cases.getAsJsonObject(name);
  }

  static TransformerConfig cfg(int width, int heads, int kvHeads, int hidden, NormType norm, double eps, boolean pre,
      ActivationType act, boolean gated, boolean bias, double theta) {
    return new TransformerConfig(width, 1, heads, kvHeads, hidden, norm, eps, pre, false, act, gated, bias, bias,
        theta, 0.02);
  }

  @Test
  void attentionWithCausalAndPaddingMask() {
    JsonObject k = c("attention");
    try (ParameterStore store = new ParameterStore(manager, 0)) {
      Attention attn = new Attention(store.root().sub("attn"),
          cfg(16, 4, 4, 32, NormType.LAYER_NORM, 1e-6, true, ActivationType.GELU, false, true, 0), 16);
      assign(store, k.getAsJsonObject("params"));
      assertClose(k.getAsJsonObject("output"),
          attn.forward(array(k.getAsJsonObject("x")), array(k.getAsJsonObject("mask")), null, null));
    }
  }

  @Test
  void groupedQueryAttentionWithRotaryPositions() {
    JsonObject k = c("gqa_rope");
    try (ParameterStore store = new ParameterStore(manager, 0)) {
      Attention attn = new Attention(store.root().sub("gqa"),
          cfg(16, 4, 2, 32, NormType.RMS_NORM, 1e-6, true, ActivationType.SILU, true, false, 10000), 16);
      assign(store, k.getAsJsonObject("params"));
      JsonArray pos = k.getAsJsonArray("positions");
      long[] flat = new long[10];
      for (int i = 0; i < 2; i++) {
        for (int t = 0; t < 5; t++) {
          flat[i * 5 + t] = pos.get(i).getAsJsonArray().get(t).getAsLong();
        }
      }
      NDArray[] rope = new RotaryEmbedding(4, 10000).tables(manager.create(flat, new Shape(2, 5)));
      assertClose(k.getAsJsonObject("output"),
          attn.forward(array(k.getAsJsonObject("x")), array(k.getAsJsonObject("mask")), null, rope));
    }
  }

  @Test
  void mlpVariants() {
    for (String name : new String[] {"mlp_gelu", "mlp_quick_gelu", "mlp_swiglu"}) {
      JsonObject k = c(name);
      boolean gated = name.equals("mlp_swiglu");
      ActivationType act = switch (name) {
        case "mlp_gelu" -> ActivationType.GELU;
        case "mlp_quick_gelu" -> ActivationType.QUICK_GELU;
        default -> ActivationType.SILU;
      };
      try (ParameterStore store = new ParameterStore(manager, 0)) {
        Mlp mlp = new Mlp(store.root().sub("mlp"), 16, 32, act, gated, !gated, 0.02);
        assign(store, k.getAsJsonObject("params"));
        assertClose(k.getAsJsonObject("output"), mlp.forward(array(k.getAsJsonObject("x"))));
      }
    }
  }

  @Test
  void layerNormAndRmsNorm() {
    JsonObject ln = c("layer_norm");
    try (ParameterStore store = new ParameterStore(manager, 0)) {
      Norm norm = new Norm(store.root().sub("norm"), NormType.LAYER_NORM, 16, ln.get("eps").getAsDouble());
      assign(store, ln.getAsJsonObject("params"));
      assertClose(ln.getAsJsonObject("output"), norm.forward(array(ln.getAsJsonObject("x"))));
    }
    JsonObject rms = c("rms_norm");
    try (ParameterStore store = new ParameterStore(manager, 0)) {
      Norm norm = new Norm(store.root().sub("norm"), NormType.RMS_NORM, 16, rms.get("eps").getAsDouble());
      assign(store, rms.getAsJsonObject("params"));
      assertClose(rms.getAsJsonObject("output"), norm.forward(array(rms.getAsJsonObject("x"))));
    }
  }

  @Test
  void preLnAndPostLnBlocks() {
    for (String name : new String[] {"block_pre", "block_post"}) {
      JsonObject k = c(name);
      boolean pre = k.get("pre_norm").getAsBoolean();
      try (ParameterStore store = new ParameterStore(manager, 0)) {
        TransformerBlock block = new TransformerBlock(store.root().sub("block"),
            cfg(16, 4, 4, 32, NormType.LAYER_NORM, 1e-6, pre, ActivationType.GELU, false, true, 0), 0);
        assign(store, k.getAsJsonObject("params"));
        assertClose(k.getAsJsonObject("output"), block.forward(array(k.getAsJsonObject("x")),
            array(k.getAsJsonObject("mask")), null, null, null, null, null));
      }
    }
  }

  @Test
  void vitEmbeddingsInterpolatePositionsToANewGrid() {
    JsonObject k = c("vit_embed_interpolated");
    try (ParameterStore store = new ParameterStore(manager, 0)) {
      TransformerConfig enc = new TransformerConfig(8, 0, 2, 2, 16, NormType.LAYER_NORM, 1e-6, true, false,
          ActivationType.GELU, false, true, true, 0, 0.02);
      VisionTransformer vit = new VisionTransformer(store.root().sub("vit"),
          new VisionConfig(8, 4, 3, enc, true, true, false, false));
      assign(store, k.getAsJsonObject("params"));
      NDArray out = vit.forward(array(k.getAsJsonObject("images")));   // 12x16 image: 3x4 grid + CLS
      assertEquals(new Shape(1, 13, 8), out.getShape());
      assertClose(k.getAsJsonObject("output"), out);
    }
  }

  @Test
  void textEmbeddingAndTiedHead() {
    JsonObject k = c("text_embedding_tied_head");
    try (ParameterStore store = new ParameterStore(manager, 0)) {
      TextEmbedding emb = new TextEmbedding(store.root().sub("text"), 11, 6, 7, 0, null, 1e-6, 0.02);
      LmHead head = LmHead.tied(emb);
      assign(store, k.getAsJsonObject("params"));
      JsonArray idsJson = k.getAsJsonArray("ids");
      long[] ids = new long[8];
      for (int i = 0; i < 2; i++) {
        for (int t = 0; t < 4; t++) {
          ids[i * 4 + t] = idsJson.get(i).getAsJsonArray().get(t).getAsLong();
        }
      }
      NDArray idArray = manager.create(ids, new Shape(2, 4));
      NDArray positions = manager.arange(0, 4, 1, ai.djl.ndarray.types.DataType.INT64).reshape(1, 4).repeat(0, 2);
      NDArray h = emb.forward(idArray, positions);
      assertClose(k.getAsJsonObject("embedding"), h);
      assertClose(k.getAsJsonObject("logits"), head.forward(h));
    }
  }
}
