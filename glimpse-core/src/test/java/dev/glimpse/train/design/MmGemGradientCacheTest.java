package dev.glimpse.train.design;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.glimpse.data.Example;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.PairBatch;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.data.synth.SyntheticRegions;
import dev.glimpse.model.MmGemConfig;
import dev.glimpse.model.MmGemModel;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.testing.MemoryProbes;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.train.Objective;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gradient caching on the real MM-GEM: one step at batch 256 in chunks of 32 leaves the gradients of
 * the plain batch (L_emb over the whole batch + L_gen) within 1e-5 (relative to the entry for the
 * few entries above 1), in stage 1 and in stage 2 (regions through RoIAlign, soft prompts, h4), and
 * holds one chunk's activations at a time.
 */
class MmGemGradientCacheTest {
  static final int BATCH = 256;

  static Tokenizer tokenizer(List<Example> examples) {
    List<String> texts = new ArrayList<>();
    examples.forEach(e -> texts.addAll(e.targets()));
    return new BpeTrainer(300, 2).train(texts);
  }

  static MmGemConfig tinyConfig(int vocab, boolean stage2, int width, int imageSize) {
    MmGemConfig c = MmGemConfig.of(VisionConfig.vit(imageSize, 8, TransformerConfig.preLn(width, 1, 2)),
        TransformerConfig.llama(width, 2, 2, 2 * width), width / 2).withVocabSize(vocab)
        .with(b -> {
          b.maxTextPositions = 40;
          b.contextTokens = 2;
        });
    return stage2 ? c.with(b -> {
      b.pool = MmGemConfig.ROI_POOL;
      b.softPrompts = 3;
      b.regionHead = true;
    }) : c;
  }

  @Test
  void chunksOf32GiveThePlainBatchsGradientsAtBatch256() {
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(5));
    for (boolean stage2 : new boolean[] {false, true}) {
      List<Example> examples = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        examples.add(stage2 ? new SyntheticRegions(scenes, Split.TRAIN, BATCH).get(i)
            : new SyntheticCaptions(scenes, Split.TRAIN, BATCH).get(i));
      }
      try (Tokenizer tokenizer = tokenizer(examples); NDManager manager = NDManager.newBaseManager()) {
        ParameterStore store = new ParameterStore(manager, 11);
        MmGemConfig config = tinyConfig(tokenizer.vocabSize(), stage2, 16, 16);
        MmGemModel model = new MmGemModel(store.root(), config);
        Map<String, float[]> plain = gradients(model, config, tokenizer, store, examples, null, manager);
        Map<String, float[]> cached = gradients(model, config, tokenizer, store, examples, 32, manager);
        int compared = 0;
        for (String name : plain.keySet()) {
          float[] a = plain.get(name);
          float[] b = cached.get(name);
          for (int i = 0; i < a.length; i++) {
            // 1e-5, relative for the few large entries (a prompt row sums its gradient over the batch)
            assertEquals(a[i], b[i], 1e-5 * Math.max(1, Math.abs(a[i])), name + "[" + i + "] (stage 2: " + stage2 + ")");
          }
          compared++;
        }
        assertTrue(plain.containsKey("h1.weight") && plain.containsKey("h3.weight") && plain.containsKey("h2.weight"),
            "gradients reach h1, h2 and h3: " + plain.keySet());
        if (stage2) {
          assertTrue(plain.containsKey("h4.weight") && plain.containsKey("soft_prompts"), plain.keySet().toString());
        }
        assertTrue(compared > 10, "compared " + compared + " parameters");
      }
    }
  }

  private static Map<String, float[]> gradients(MmGemModel model, MmGemConfig config, Tokenizer tokenizer,
      ParameterStore store, List<Example> examples, Integer chunk, NDManager manager) {
    for (Parameter p : store.all()) {
      if (p.array().hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) p.array());
      }
    }
    TrainConfig train = TrainConfig.defaults().with(t -> {
      t.batchSize = BATCH;
      t.maxTextTokens = 16;
      t.gradientCacheChunk = chunk;
    });
    @SuppressWarnings("unchecked")
    Training<PairBatch> training = (Training<PairBatch>) new MmGemDesign().training(model,
        new TrainingSetup(config, tokenizer, ImageTransform.square(config.imageSize()), train, 0, false));
    PairBatch batch = training.batcher().batch(examples, new SplittableRandom(3));
    try (NDManager step = manager.newSubManager()) {
      Objective.Loss loss = training.objective().backward(batch, new Objective.Step(step, 5, 100, 1));
      assertTrue(Float.isFinite(loss.value().getFloat()));
      assertEquals(List.of(MmGemDesign.EMBEDDING_LOSS, MmGemDesign.GENERATION_LOSS),
          List.copyOf(loss.components().keySet()));
      assertTrue(loss.stats().containsKey("temperature"));
    }
    Map<String, float[]> out = new HashMap<>();
    for (Parameter p : store.all()) {
      if (p.array().hasGradient()) {
        out.put(p.name(), p.array().getGradient().toFloatArray());
      }
    }
    return out;
  }

  /**
   * Peak resident memory of one MM-GEM step at batch 256 (48x48 images, D=64), each in a fresh JVM:
   * the plain batch holds every example's activations at once, chunks of 32 one chunk's.
   */
  @Test
  void peakMemoryFollowsTheChunk() throws Exception {
    long plain = stepGrowthKb(0);
    long cached = stepGrowthKb(32);
    assertTrue(plain > 100_000, "the plain step of 256 holds a hundred MB or more of activations, grew " + plain + " kB");
    assertTrue(cached * 2 < plain, "chunks of 32: grew " + cached + " kB, plain batch " + plain + " kB");
  }

  private static long stepGrowthKb(int chunk) throws Exception {
    return MemoryProbes.growthKb(MmGemMemoryProbe.class, String.valueOf(chunk), 300);
  }
}
