package dev.glimpse.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.GitModel;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Constrained decoding over a label set: the trie's rules, then decoding through it. */
class PrefixConstraintTest {
  static final int EOS = 2;
  static final int VOCAB = 40;
  static final float NEG = Float.NEGATIVE_INFINITY;

  // labels [10, 11, 12], [10, 13], [20], and [10] itself (a label that is a prefix of others)
  private static PrefixConstraint labels() {
    return new PrefixConstraint(List.of(new int[] {10, 11, 12}, new int[] {10, 13}, new int[] {20}, new int[] {10}), EOS);
  }

  private static float[] scores() {
    float[] s = new float[VOCAB];
    for (int v = 0; v < VOCAB; v++) {
      s[v] = v * 0.25f - 3;
    }
    return s;
  }

  /** The token ids whose scores the processor left finite; their values must be unchanged. */
  private static List<Integer> allowed(PrefixConstraint c, int... generated) {
    float[] before = scores();
    float[] s = scores();
    c.process(0, generated, s);
    List<Integer> kept = new ArrayList<>();
    for (int v = 0; v < VOCAB; v++) {
      if (s[v] != NEG) {
        kept.add(v);
        assertEquals(before[v], s[v], "score of allowed token " + v + " must not change");
      }
    }
    return kept;
  }

  @Test
  void onlyContinuationsOfTheLabelsKeepTheirScores() {
    PrefixConstraint c = labels();
    assertEquals(List.of(10, 20), allowed(c));
    assertEquals(List.of(EOS, 11, 13), allowed(c, 10)); // [10] is a label, and a prefix of two more
    assertEquals(List.of(12), allowed(c, 10, 11));
    assertEquals(List.of(EOS), allowed(c, 10, 11, 12));
    assertEquals(List.of(EOS), allowed(c, 10, 13));
    assertEquals(List.of(EOS), allowed(c, 20));
  }

  @Test
  void offTheTrieOnlyEndingIsLeft() {
    float[] s = scores();
    labels().process(0, new int[] {20, 5}, s);
    for (int v = 0; v < VOCAB; v++) {
      assertEquals(v == EOS ? 0f : NEG, s[v], "token " + v);
    }
  }

  @Test
  void theSameStateForEveryRow() {
    PrefixConstraint c = labels();
    float[] a = scores();
    float[] b = scores();
    c.process(0, new int[] {10}, a);
    c.process(7, new int[] {10}, b);
    assertArrayEquals(a, b);
  }

  @Test
  void needsAtLeastOneLabel() {
    assertThrows(IllegalArgumentException.class, () -> new PrefixConstraint(List.of(), EOS));
  }

  /**
   * On a randomly initialised captioner, which on its own writes none of the labels, greedy and beam
   * decoding through the constraint give a label in every row, ended by EOS.
   */
  @Test
  void decodingThroughTheConstraintGivesALabelInEveryRow() {
    List<int[]> labels = List.of(new int[] {10, 11, 12}, new int[] {10, 13}, new int[] {20}, new int[] {30, 31});
    try (NDManager manager = NDManager.newBaseManager(); ParameterStore store = new ParameterStore(manager, 11)) {
      GitModel model = new GitModel(store.root(), GitConfig.of(VisionConfig.vit(16, 8, TransformerConfig.preLn(32, 2, 4)),
          TransformerConfig.preLn(32, 2, 4)).withVocabSize(VOCAB).withMaxTextPositions(40));
      for (Parameter p : store.all()) {
        if (p.kind() == Parameter.Kind.WEIGHT || p.kind() == Parameter.Kind.EMBEDDING) {
          p.array().muli(10f); // spread-out random logits
        }
      }
      int batch = 6;
      SplittableRandom r = new SplittableRandom(5);
      float[] v = new float[batch * 3 * 16 * 16];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian();
      }
      NDArray pixels = manager.create(v, new Shape(batch, 3, 16, 16));
      long[] bos = new long[batch];
      Arrays.fill(bos, 1);
      float[] ones = new float[batch];
      Arrays.fill(ones, 1);
      Generator generator = new Generator(model, EOS, 0);
      for (GenerationConfig cfg : List.of(GenerationConfig.greedy(6), GenerationConfig.beam(6, 3, 1.0, false))) {
        List<Generated> free;
        List<Generated> constrained;
        try (DecodeState state = model.prefill(pixels, manager.create(bos, new Shape(batch, 1)),
            manager.create(ones, new Shape(batch, 1)), true)) {
          free = generator.generate(state, cfg, null);
        }
        try (DecodeState state = model.prefill(pixels, manager.create(bos, new Shape(batch, 1)),
            manager.create(ones, new Shape(batch, 1)), true)) {
          constrained = generator.generate(state, cfg, new PrefixConstraint(labels, EOS));
        }
        assertFalse(free.stream().allMatch(g -> isLabel(labels, g.tokens())), "the model alone writes labels");
        for (Generated g : constrained) {
          assertTrue(isLabel(labels, g.tokens()), cfg.strategy() + ": " + Arrays.toString(g.tokens()));
          assertTrue(g.finished(), cfg.strategy() + " ends with EOS: " + Arrays.toString(g.tokens()));
        }
      }
    }
  }

  private static boolean isLabel(List<int[]> labels, int[] tokens) {
    return labels.stream().anyMatch(l -> Arrays.equals(l, tokens));
  }
}
