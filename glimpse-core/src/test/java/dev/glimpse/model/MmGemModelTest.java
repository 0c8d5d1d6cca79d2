package dev.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.generate.Generated;
import dev.glimpse.generate.Generator;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** MM-GEM's two modes: decoding agrees with teacher forcing, text embeddings ignore padding, stage 2 starts as stage 1. */
class MmGemModelTest {
  static MmGemConfig config(boolean rotary, int softPrompts) {
    TransformerConfig text = rotary ? TransformerConfig.llama(32, 2, 4, 64) : TransformerConfig.preLn(32, 2, 4);
    return MmGemConfig.of(VisionConfig.vit(16, 8, TransformerConfig.preLn(32, 1, 4)), text.withInitStd(0.2), 24)
        .withVocabSize(40).with(b -> {
          b.maxTextPositions = 32;
          b.contextTokens = 3;
          b.softPrompts = softPrompts;
          b.pool = softPrompts > 0 ? MmGemConfig.ROI_POOL : MmGemConfig.MEAN_POOL;
          b.regionHead = softPrompts > 0;
        });
  }

  static NDArray pixels(NDManager m, int b) {
    SplittableRandom r = new SplittableRandom(2);
    float[] v = new float[b * 3 * 16 * 16];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return m.create(v, new Shape(b, 3, 16, 16));
  }

  @Test
  void cachedAndUncachedDecodingMatchTeacherForcing() {
    for (boolean rotary : new boolean[] {true, false}) {
      for (int k : new int[] {0, 3}) {
        try (NDManager manager = NDManager.newBaseManager()) {
          ParameterStore store = new ParameterStore(manager, 5);
          MmGemModel model = new MmGemModel(store.root(), config(rotary, k));
          NDArray x = pixels(manager, 2);
          NDArray bos = manager.create(new long[] {1, 1}, new Shape(2, 1));
          NDArray valid = manager.ones(new Shape(2, 1));
          GenerationConfig greedy = GenerationConfig.greedy(6);
          List<Generated> cached = new Generator(model, 39, 0).generate(model.prefill(x, bos, valid, true), greedy, null);
          List<Generated> uncached = new Generator(model, 39, 0).generate(model.prefill(x, bos, valid, false),
              greedy.withCache(false), null);
          for (int row = 0; row < 2; row++) {
            assertArrayEquals(cached.get(row).tokens(), uncached.get(row).tokens());
            // teacher forcing on [BOS] + the generated tokens predicts the same tokens greedily
            int[] tokens = cached.get(row).tokens();
            long[] ids = new long[tokens.length];
            ids[0] = 1;
            for (int t = 0; t + 1 < tokens.length; t++) {
              ids[t + 1] = tokens[t];
            }
            NDArray logits = model.forward(x.get(row + ":" + (row + 1)), manager.create(ids, new Shape(1, ids.length)),
                manager.ones(new Shape(1, ids.length)));
            long[] argmax = logits.argMax(-1).toLongArray();
            for (int t = 0; t < tokens.length; t++) {
              assertEquals(tokens[t], argmax[t], "rotary " + rotary + ", prompts " + k + ", row " + row + ", token " + t);
            }
          }
        }
      }
    }
  }

  @Test
  void textEmbeddingsIgnorePadding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      MmGemModel model = new MmGemModel(new ParameterStore(manager, 6).root(), config(true, 0));
      int[] ids = model.textIds(new int[] {5, 6, 7}, 1);
      assertArrayEquals(new int[] {1, 5, 6, 7, model.config().embTokenId()}, ids);
      NDArray alone = model.embedTexts(manager.create(new long[] {1, 5, 6, 7, 40}, new Shape(1, 5)),
          manager.ones(new Shape(1, 5)));
      NDArray padded = model.embedTexts(manager.create(new long[] {1, 5, 6, 7, 40, 0, 0}, new Shape(1, 7)),
          manager.create(new float[] {1, 1, 1, 1, 1, 0, 0}, new Shape(1, 7)));
      assertArrayEquals(alone.toFloatArray(), padded.toFloatArray(), 1e-5f);
    }
  }

  @Test
  void stageTwoHeadsStartAsIdentity() {
    try (NDManager manager = NDManager.newBaseManager()) {
      MmGemModel stage2 = new MmGemModel(new ParameterStore(manager, 7).root(), config(true, 3));
      NDArray vemb = manager.randomNormal(new Shape(4, 24));
      assertArrayEquals(vemb.toFloatArray(), stage2.retrievalEmbedding(vemb).toFloatArray(), 1e-6f, "h4 = identity");
      // a region covering the whole input is the whole image
      NDArray x = pixels(manager, 2);
      float[][] whole = {{0, 0, 0, 16, 16}, {1, 0, 0, 16, 16}};
      assertArrayEquals(stage2.embedImages(x).toFloatArray(), stage2.embedRegions(x, whole).toFloatArray(), 1e-6f);
    }
  }
}
