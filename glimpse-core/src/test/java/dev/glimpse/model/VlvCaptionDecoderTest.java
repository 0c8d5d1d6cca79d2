package dev.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.testing.TinyVlv;
import org.junit.jupiter.api.Test;

/**
 * VLV's caption decoder: the language model reads [MLP(c) ; caption] causally. Teacher-forced logits
 * have one row per caption token (none for the prefix) and depend on the image; decoding token by
 * token, with and without the KV cache, from right-padded prompts of different lengths, gives the
 * teacher-forced logits of each row's own text.
 */
class VlvCaptionDecoderTest {
  private static final int VOCAB = 40;

  private static NDArray pixels(NDManager m, int b, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] v = new float[b * 3 * TinyVlv.SIDE * TinyVlv.SIDE];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return m.create(v, new Shape(b, 3, TinyVlv.SIDE, TinyVlv.SIDE));
  }

  // teacher-forced logits of one row's own tokens: [T, V]
  private static float[][] teacherForced(VlvModel model, NDManager m, NDArray pixels, long[] ids) {
    NDArray x = m.create(ids).reshape(1, -1);
    float[] flat = model.forward(pixels, x, m.ones(x.getShape())).toFloatArray();
    float[][] out = new float[ids.length][VOCAB];
    for (int t = 0; t < ids.length; t++) {
      System.arraycopy(flat, t * VOCAB, out[t], 0, VOCAB);
    }
    return out;
  }

  private static float[] row(NDArray logits, int row) {
    return logits.get(row).toFloatArray();
  }

  @Test
  void teacherForcedLogitsCoverTheCaptionAloneAndReadTheImage() {
    try (NDManager m = NDManager.newBaseManager(); ParameterStore store = new ParameterStore(m, 7)) {
      VlvModel model = new VlvModel(store.root(), TinyVlv.vlvModel(true).withVocabSize(VOCAB));
      NDArray ids = m.create(new long[] {1, 5, 9, 12, 7}).reshape(1, 5);
      NDArray a = model.forward(pixels(m, 1, 1), ids, m.ones(ids.getShape()));
      assertEquals(new Shape(1, 5, VOCAB), a.getShape());
      NDArray b = model.forward(pixels(m, 1, 2), ids, m.ones(ids.getShape()));
      assertTrue(a.sub(b).abs().max().getFloat() > 1e-4, "the caption reads the image through the prefix");
    }
  }

  @Test
  void decodingTokenByTokenGivesTheTeacherForcedLogits() {
    for (boolean cached : new boolean[] {true, false}) {
      try (NDManager m = NDManager.newBaseManager(); ParameterStore store = new ParameterStore(m, 7)) {
        VlvModel model = new VlvModel(store.root(), TinyVlv.vlvModel(true).withVocabSize(VOCAB));
        NDArray pixels = pixels(m, 2, 3);
        // row 0: a prompt of 3 tokens; row 1: 2 tokens, right-padded
        long[][] prompts = {{1, 5, 9}, {1, 6, 0}};
        NDArray ids = m.create(new long[] {1, 5, 9, 1, 6, 0}).reshape(2, 3);
        NDArray valid = m.create(new float[] {1, 1, 1, 1, 1, 0}).reshape(2, 3);
        long[][] next = {{11, 4}, {3, 8}, {2, 2}};
        long[][] text = {{1, 5, 9, 11, 3, 2}, {1, 6, 4, 8, 2}};
        float[][][] expected = new float[2][][];
        for (int r = 0; r < 2; r++) {
          expected[r] = teacherForced(model, m, pixels.get(r + ":" + (r + 1)), text[r]);
        }
        int[] length = {prompts[0].length, 2};
        try (DecodeState state = model.prefill(pixels, ids, valid, cached)) {
          for (int step = 0; step <= next.length; step++) {
            for (int r = 0; r < 2; r++) {
              assertArrayEquals(expected[r][length[r] - 1], row(state.logits(), r), 1e-4f,
                  "row " + r + " after " + step + " steps (cache " + cached + ")");
            }
            if (step < next.length) {
              model.step(state, new long[] {next[step][0], next[step][1]}, m);
              length[0]++;
              length[1]++;
            }
          }
        }
      }
    }
  }
}
