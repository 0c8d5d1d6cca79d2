package dev.glimpse.generate;

import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.GitModel;
import dev.glimpse.nn.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Decoding on a randomly initialised model: strategies must agree where they are defined to. */
class GeneratorTest {
  static final int VOCAB = 40;
  static final int EOS = 2;
  static NDManager manager;
  static ParameterStore store;
  static GitModel model;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
    store = new ParameterStore(manager, 11);
    // larger init so that random logits are spread out (clear argmax margins)
    GitConfig base = GitConfig.of(VisionConfig.vit(16, 8, TransformerConfig.preLn(32, 2, 4)), TransformerConfig.preLn(32, 2, 4)).withVocabSize(VOCAB).withMaxTextPositions(40);
    model = new GitModel(store.root(), base);
    for (var p : store.all()) {
      if (p.kind() == dev.glimpse.nn.Parameter.Kind.WEIGHT || p.kind() == dev.glimpse.nn.Parameter.Kind.EMBEDDING) {
        p.array().muli(10f);
      }
    }
  }

  @AfterAll
  static void tearDown() {
    store.close();
    manager.close();
  }

  private static NDArray pixels(int batch, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[batch * 3 * 16 * 16];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return manager.create(v, new Shape(batch, 3, 16, 16));
  }

  // prompts of different lengths, right-padded: rows [1], [1, 5, 6], [1, 7]
  private static NDArray[] prompts() {
    long[] ids = {1, 0, 0, 1, 5, 6, 1, 7, 0};
    float[] valid = {1, 0, 0, 1, 1, 1, 1, 1, 0};
    return new NDArray[] {manager.create(ids, new Shape(3, 3)), manager.create(valid, new Shape(3, 3))};
  }

  private static List<Generated> run(GenerationConfig cfg) {
    NDArray[] p = prompts();
    Generator g = new Generator(model, EOS, 0);
    try (DecodeState state = model.prefill(pixels(3, 5), p[0], p[1], cfg.useCache())) {
      return g.generate(state, cfg, null);
    }
  }

  @Test
  void cachedAndUncachedGreedyGiveIdenticalTokens() {
    List<Generated> cached = run(GenerationConfig.greedy(20));
    List<Generated> uncached = run(GenerationConfig.greedy(20).withCache(false));
    int total = 0;
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(cached.get(i).tokens(), uncached.get(i).tokens(), "row " + i);
      assertEquals(cached.get(i).score(), uncached.get(i).score(), 1e-3);
      total += cached.get(i).tokens().length;
    }
    assertTrue(total > 10, "the random model should generate something");
  }

  /** One cached row decodes on one intra-op thread; the tokens are the same and the count comes back. */
  @Test
  void singleRowCachedDecodingGivesTheSameTokensAndRestoresTheThreadCount() {
    int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
    NDArray[] p = prompts();
    NDArray ids = p[0].get("1:2, :");
    NDArray valid = p[1].get("1:2, :");
    Generator g = new Generator(model, EOS, 0);
    List<Generated> cached;
    List<Generated> uncached;
    try (DecodeState state = model.prefill(pixels(1, 9), ids, valid, true)) {
      cached = g.generate(state, GenerationConfig.greedy(20), null);
    }
    assertEquals(threads, ai.djl.pytorch.jni.JniUtils.getNumThreads());
    try (DecodeState state = model.prefill(pixels(1, 9), ids, valid, false)) {
      uncached = g.generate(state, GenerationConfig.greedy(20).withCache(false), null);
    }
    assertArrayEquals(uncached.get(0).tokens(), cached.get(0).tokens());
    assertTrue(cached.get(0).tokens().length > 2, "the random model should generate something");
  }

  @Test
  void cachedStepLogitsMatchFullRecompute() {
    NDArray[] p = prompts();
    try (DecodeState cached = model.prefill(pixels(3, 5), p[0], p[1], true);
        DecodeState full = model.prefill(pixels(3, 5), p[0], p[1], false)) {
      for (int step = 0; step < 6; step++) {
        assertArrayEquals(full.logits().toFloatArray(), cached.logits().toFloatArray(), 2e-4f, "step " + step);
        long[] next = cached.logits().argMax(-1).toLongArray();
        model.step(cached, next, manager);
        model.step(full, next, manager);
      }
    }
  }

  @Test
  void beamSearchWithOneBeamEqualsGreedy() {
    List<Generated> greedy = run(GenerationConfig.greedy(15));
    List<Generated> beam = run(GenerationConfig.beam(15, 1, 1.0, false));
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(greedy.get(i).tokens(), beam.get(i).tokens(), "row " + i);
    }
  }

  @Test
  void beamSearchFindsAtLeastAsLikelyASequenceAsGreedy() {
    List<Generated> greedy = run(GenerationConfig.greedy(8));
    List<Generated> beam = run(GenerationConfig.beam(8, 4, 0.0, false));
    for (int i = 0; i < 3; i++) {
      // lengthPenalty 0: beam score is the plain sum of log-probs (ended hypotheses include EOS)
      assertTrue(beam.get(i).score() >= greedy.get(i).score() - 1e-4,
          "row " + i + ": beam " + beam.get(i).score() + " < greedy " + greedy.get(i).score());
    }
  }

  @Test
  void samplingIsSeededAndTopKOneIsGreedy() {
    List<Generated> a = run(GenerationConfig.sample(12, 1.0, 0, 1.0, 99));
    List<Generated> b = run(GenerationConfig.sample(12, 1.0, 0, 1.0, 99));
    List<Generated> c = run(GenerationConfig.sample(12, 1.5, 0, 1.0, 100));
    boolean anyDifferent = false;
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
      anyDifferent |= !java.util.Arrays.equals(a.get(i).tokens(), c.get(i).tokens());
    }
    assertTrue(anyDifferent, "a different seed and temperature should change some sample");
    List<Generated> top1 = run(GenerationConfig.sample(12, 0.7, 1, 1.0, 5));
    List<Generated> greedy = run(GenerationConfig.greedy(12));
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(greedy.get(i).tokens(), top1.get(i).tokens());
    }
  }

  @Test
  void logitsProcessorConstrainsTokens() {
    NDArray[] p = prompts();
    Generator g = new Generator(model, EOS, 0);
    try (DecodeState state = model.prefill(pixels(3, 5), p[0], p[1], true)) {
      List<Generated> out = g.generate(state, GenerationConfig.greedy(5), (row, generated, scores) -> {
        for (int v = 0; v < scores.length; v++) {
          if (v != 7 + generated.length) {
            scores[v] = Float.NEGATIVE_INFINITY;
          }
        }
      });
      for (Generated gen : out) {
        assertArrayEquals(new int[] {7, 8, 9, 10, 11}, gen.tokens());
      }
    }
  }

  @Test
  void topPKeepsTheSmallestNucleus() {
    GenerationConfig cfg = GenerationConfig.sample(1, 1.0, 0, 0.5, 1);
    float[] logits = {(float) Math.log(0.6), (float) Math.log(0.3), (float) Math.log(0.1)};
    for (int seed = 0; seed < 50; seed++) {
      assertEquals(0, Generator.sample(logits, cfg, new SplittableRandom(seed)));
    }
    GenerationConfig wide = GenerationConfig.sample(1, 1.0, 2, 1.0, 1);
    for (int seed = 0; seed < 200; seed++) {
      assertNotEquals(2, Generator.sample(logits, wide, new SplittableRandom(seed)));
    }
  }
}
