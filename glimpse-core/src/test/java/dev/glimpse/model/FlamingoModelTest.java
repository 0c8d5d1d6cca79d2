package dev.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.connect.GatedCrossAttention;
import dev.glimpse.connect.PerceiverResampler;
import dev.glimpse.connect.ResamplerConfig;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Flamingo's defining properties: with its gates at 0 (as it starts) it computes exactly its frozen
 * language model's logits; the resampler gives the same number of tokens for any input size (and
 * any number of frames); cross-attention lets a text token see only the image just before it; cached
 * decoding matches decoding without a cache.
 */
class FlamingoModelTest {
  static final int IMAGE = 29;

  static FlamingoConfig config(int frames) {
    VisionConfig tower = VisionConfig.vit(16, 4, TransformerConfig.preLn(16, 2, 2));
    TransformerConfig text = TransformerConfig.llama(24, 2, 2, 48).with(b -> b.kvHeads = 1);
    return new FlamingoConfig(tower, null, -2, new ResamplerConfig(1, 2, 4, frames), 1, 2, text, 30, 64, 0, IMAGE,
        false, 0);
  }

  static FlamingoConfig config() {
    return config(1);
  }

  static NDArray random(NDManager m, Shape shape, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[(int) shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return m.create(values, shape);
  }

  // two rows: text, image, text, image, text; the second row right-padded
  static NDArray[] prompt(NDManager m) {
    long[] ids = {1, 5, IMAGE, 7, 8, IMAGE, 9, 10, 1, 6, IMAGE, 11, IMAGE, 12, 0, 0};
    float[] valid = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    return new NDArray[] {m.create(ids, new Shape(2, 8)), m.create(valid, new Shape(2, 8))};
  }

  @Test
  void withGatesAtZeroItIsExactlyTheFrozenLanguageModel() {
    try (NDManager m = NDManager.newBaseManager(); ParameterStore store = new ParameterStore(m, 3)) {
      FlamingoModel flamingo = new FlamingoModel(store.root(), config());
      NDArray[] p = prompt(m);
      NDArray pixels = random(m, new Shape(2, 2, 3, 16, 16), 1);
      float[] withVision = flamingo.forwardSequence(ImageSequence.uniform(pixels), p[0], p[1]).toFloatArray();
      float[] languageModel = flamingo.languageModel().forward(p[0], p[1]).toFloatArray();
      assertArrayEquals(languageModel, withVision, "bit for bit: gates tanh(0) = 0");
      for (GatedCrossAttention layer : flamingo.crossAttention()) {
        assertArrayEquals(new float[] {0, 0}, layer.gates());
      }
      // opened gates let the images in
      store.get("xattn.layers.0.attention_gate").array().set(new float[] {0.7f});
      float[] opened = flamingo.forwardSequence(ImageSequence.uniform(pixels), p[0], p[1]).toFloatArray();
      int vocab = 30;
      int length = 8;
      for (int t = 0; t < 2; t++) { // tokens before the first image: no cross-attention, unchanged
        for (int v = 0; v < vocab; v++) {
          assertEquals(languageModel[t * vocab + v], opened[t * vocab + v], "row 0 token " + t);
        }
      }
      double changed = 0;
      for (int i = 2 * vocab; i < length * vocab; i++) {
        changed = Math.max(changed, Math.abs(languageModel[i] - opened[i]));
      }
      assertTrue(changed > 1e-3, "tokens after an image read it once the gate is open");
    }
  }

  @Test
  void theResamplerGivesItsLatentsForAnyInputSizeAndFrameCount() {
    try (NDManager m = NDManager.newBaseManager(); ParameterStore store = new ParameterStore(m, 3)) {
      PerceiverResampler resampler = new PerceiverResampler(store.root().sub("r"), new ResamplerConfig(2, 2, 5, 3), 8);
      for (int tokens : new int[] {1, 9, 36, 100}) {
        assertEquals(new Shape(2, 5, 8), resampler.forward(random(m, new Shape(2, tokens, 8), tokens)).getShape());
      }
      for (int frames = 1; frames <= 3; frames++) {
        assertEquals(new Shape(1, 5, 8), resampler.forwardFrames(random(m, new Shape(1, frames, 7, 8), 9)).getShape());
      }
      FlamingoModel flamingo = new FlamingoModel(new ParameterStore(m, 4).root(), config(2));
      for (int side : new int[] {16, 32, 48}) { // the tower's positions are interpolated to larger grids
        assertEquals(new Shape(3, 4, 16), flamingo.resample(random(m, new Shape(3, 3, side, side), side)).getShape());
      }
      assertEquals(new Shape(1, 4, 16), flamingo.resample(random(m, new Shape(1, 2, 3, 16, 16), 5)).getShape(),
          "two frames of a video, one set of latents");
    }
  }

  @Test
  void crossAttentionSeesOnlyThePrecedingImage() {
    try (NDManager m = NDManager.newBaseManager(); ParameterStore store = new ParameterStore(m, 3)) {
      GatedCrossAttention layer = new GatedCrossAttention(store.root().sub("x"), TransformerConfig.preLn(8, 1, 2), 6);
      store.get("x.attention_gate").array().set(new float[] {1f});
      int[] media = {-1, 0, 0, 1, 1};
      float[] block = AttentionMask.interleaved(media, 2, 3).block(6, 5, 0, 6);
      NDArray mask = m.create(block, new Shape(1, 1, 5, 6));
      NDArray has = m.create(new float[] {0, 1, 1, 1, 1}, new Shape(1, 5, 1));
      NDArray text = random(m, new Shape(1, 5, 8), 1);
      NDArray visual = random(m, new Shape(1, 6, 6), 2);
      NDArray otherFirstImage = visual.get(":, :3, :").add(1f).concat(visual.get(":, 3:, :"), 1);
      float[] a = layer.forward(text, visual, mask, has).toFloatArray();
      float[] b = layer.forward(text, otherFirstImage, mask, has).toFloatArray();
      for (int t = 0; t < 5; t++) {
        double diff = 0;
        for (int d = 0; d < 8; d++) {
          diff = Math.max(diff, Math.abs(a[t * 8 + d] - b[t * 8 + d]));
        }
        if (t == 1 || t == 2) {
          assertTrue(diff > 1e-4, "token " + t + " follows image 0");
        } else {
          assertEquals(0, diff, "token " + t + " does not see image 0");
        }
      }
    }
  }

  @Test
  void cachedDecodingMatchesRecomputation() {
    try (NDManager m = NDManager.newBaseManager(); ParameterStore store = new ParameterStore(m, 3)) {
      FlamingoModel flamingo = new FlamingoModel(store.root(), config());
      store.get("xattn.layers.0.attention_gate").array().set(new float[] {0.5f});
      store.get("xattn.layers.1.mlp_gate").array().set(new float[] {0.5f});
      NDArray[] p = prompt(m);
      NDArray pixels = random(m, new Shape(2, 2, 3, 16, 16), 1);
      try (DecodeState cached = flamingo.prefill(pixels, p[0], p[1], true);
          DecodeState plain = flamingo.prefill(pixels, p[0], p[1], false)) {
        for (long[] next : new long[][] {{3, 4}, {5, 6}}) {
          assertArrayEquals(plain.logits().toFloatArray(), cached.logits().toFloatArray(), 1e-4f);
          flamingo.step(cached, next, m);
          flamingo.step(plain, next, m);
        }
        assertArrayEquals(plain.logits().toFloatArray(), cached.logits().toFloatArray(), 1e-4f);
        assertEquals(DataType.FLOAT32, cached.logits().getDataType());
      }
    }
  }
}
