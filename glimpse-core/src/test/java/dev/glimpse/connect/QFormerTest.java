package dev.glimpse.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Q-Former's three stage-1 masks have BLIP-2's patterns (figure 2 of the paper), and they do what
 * they say: under the uni-modal mask the query outputs do not depend on the text, under the
 * multimodal causal mask a text token does not depend on later text, and the queries alone are
 * exactly the connector's output.
 */
class QFormerTest {
  private static final int Q = 3;
  private static final int T = 4;

  @Test
  void theThreeMasksHaveTheDocumentedPatterns() {
    String[] unimodal = {
        "111....",
        "111....",
        "111....",
        "...1111",
        "...1111",
        "...1111",
        "...1111"};
    String[] bidirectional = {
        "1111111",
        "1111111",
        "1111111",
        "1111111",
        "1111111",
        "1111111",
        "1111111"};
    String[] multimodalCausal = {
        "111....",
        "111....",
        "111....",
        "1111...",
        "11111..",
        "111111.",
        "1111111"};
    assertArrayEquals(unimodal, pattern(QFormer.mask(QFormer.Mode.UNIMODAL, Q, T)));
    assertArrayEquals(bidirectional, pattern(QFormer.mask(QFormer.Mode.BIDIRECTIONAL, Q, T)));
    assertArrayEquals(multimodalCausal, pattern(QFormer.mask(QFormer.Mode.MULTIMODAL_CAUSAL, Q, T)));
  }

  @Test
  void masksGovernWhatEachOutputDependsOn() {
    try (NDManager m = NDManager.newBaseManager(); ParameterStore store = new ParameterStore(m, 5)) {
      QFormerConfig config = QFormerConfig.of(TransformerConfig.preLn(16, 2, 2).with(b -> {
        b.preNorm = false;
        b.finalNorm = false;
        b.initStd = 0.3; // differences well above float noise
      }), Q).withMemoryWidth(8).withTextBranch(20, 8, 6);
      QFormer qformer = new QFormer(store.root().sub("qformer"), config);
      NDArray visual = random(m, new Shape(1, 5, 8), 1);
      NDArray ids = m.create(new long[] {1, 4, 7, 9}, new Shape(1, T));
      NDArray otherIds = m.create(new long[] {1, 4, 12, 3}, new Shape(1, T)); // differs from token 2 on
      NDArray valid = m.ones(new Shape(1, T));
      // uni-modal: the queries do not see the text, and are exactly the connector's output
      NDArray a = qformer.joint(visual, ids, valid, QFormer.Mode.UNIMODAL);
      NDArray b = qformer.joint(visual, otherIds, valid, QFormer.Mode.UNIMODAL);
      assertArrayEquals(a.get(":, :" + Q + ", :").toFloatArray(), b.get(":, :" + Q + ", :").toFloatArray());
      assertArrayEquals(qformer.forward(visual).toFloatArray(), a.get(":, :" + Q + ", :").toFloatArray(), 1e-6f);
      // bidirectional: the queries see the text
      NDArray c = qformer.joint(visual, ids, valid, QFormer.Mode.BIDIRECTIONAL);
      NDArray d = qformer.joint(visual, otherIds, valid, QFormer.Mode.BIDIRECTIONAL);
      assertTrue(maxDiff(c.get(":, :" + Q + ", :"), d.get(":, :" + Q + ", :")) > 1e-4);
      // multimodal causal: text tokens 0 and 1 do not see tokens 2 and 3; the queries see no text
      NDArray e = qformer.joint(visual, ids, valid, QFormer.Mode.MULTIMODAL_CAUSAL);
      NDArray f = qformer.joint(visual, otherIds, valid, QFormer.Mode.MULTIMODAL_CAUSAL);
      assertArrayEquals(e.get(":, :" + (Q + 2) + ", :").toFloatArray(), f.get(":, :" + (Q + 2) + ", :").toFloatArray());
      assertTrue(maxDiff(e.get(":, " + (Q + 2) + ":, :"), f.get(":, " + (Q + 2) + ":, :")) > 1e-4);
      // the image reaches the text only through the queries: with the queries' cross-attention it does
      NDArray g = qformer.joint(random(m, new Shape(1, 5, 8), 2), ids, valid, QFormer.Mode.MULTIMODAL_CAUSAL);
      assertTrue(maxDiff(e.get(":, " + Q + ":, :"), g.get(":, " + Q + ":, :")) > 1e-4);
      assertEquals(21L, qformer.decoderToken());
    }
  }

  private static String[] pattern(AttentionMask mask) {
    String[] rows = new String[mask.length()];
    for (int q = 0; q < mask.length(); q++) {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < mask.length(); k++) {
        sb.append(mask.allowed(q, k) ? '1' : '.');
      }
      rows[q] = sb.toString();
    }
    return rows;
  }

  static NDArray random(NDManager m, Shape shape, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[(int) shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return m.create(values, shape);
  }

  static double maxDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().toType(DataType.FLOAT64, false).getDouble();
  }
}
