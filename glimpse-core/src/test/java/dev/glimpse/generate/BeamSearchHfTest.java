package dev.glimpse.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.StepModel;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Beam search against HF {@code BeamSearchScorer} (transformers 4.45) on a toy model whose next-token
 * distribution depends only on the last token, worked out by hand below.
 *
 * <p>Tokens: 0 pad, 1 A, 2 EOS, 3 B; 2 beams, length penalty 1, early_stopping False, 3 new tokens.
 * <ul>
 *   <li>Step 0 (after BOS): EOS -0.7, A -1.0, B ln .12. EOS ranks first: hypothesis [] scored
 *       -0.7 / 1. Beams: [A] -1.0, [B] -2.12.
 *   <li>Step 1: A then EOS sums to -1.3. HF adds the hypothesis [A] with generated_len = cur_len -
 *       prompt = 2 (the EOS counts): -0.65. Then is_done: worst kept -0.7 against the best candidate
 *       -1.3 / 2 = -0.65: not done.
 *   <li>Step 2: every continuation sums below -2.9, / 3 < -0.97: nothing beats -0.7.
 * </ul>
 * HF returns [A] with sequence score -0.65. Dividing by the tokens before EOS instead (1 at step 1)
 * would score [A] -1.3, stop at step 1, and return the empty hypothesis with -0.7.
 */
class BeamSearchHfTest {
  static final int EOS = 2;
  static final int PAD = 0;
  static NDManager manager;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  /** Next-token log-probabilities by last token (BOS = 9 here). */
  static float[] logProbs(long last) {
    double[] p;
    if (last == 9) {
      p = new double[] {0, Math.exp(-1.0), Math.exp(-0.7), 0.12};
    } else if (last == 1) {
      p = new double[] {0, 0.2, Math.exp(-0.3), 0.05};
    } else if (last == 3) {
      p = new double[] {0.1, 0.3, 0.1, 0.5};
    } else {
      p = new double[] {0.25, 0.25, 0.25, 0.25};
    }
    double rest = 1 - p[1] - p[2] - p[3];
    if (p[0] == 0) {
      p[0] = rest;
    }
    float[] out = new float[4];
    for (int i = 0; i < 4; i++) {
      out[i] = (float) Math.log(p[i]);
    }
    return out;
  }

  static final class ToyModel implements StepModel {
    @Override
    public int vocabSize() {
      return 4;
    }

    @Override
    public void step(DecodeState state, long[] ids, NDManager m) {
      state.append(ids);
      state.setLogits(logits(ids, m));
    }

    static NDArray logits(long[] last, NDManager m) {
      float[] all = new float[last.length * 4];
      for (int i = 0; i < last.length; i++) {
        System.arraycopy(logProbs(last[i]), 0, all, i * 4, 4);
      }
      return m.create(all, new Shape(last.length, 4));
    }
  }

  private static List<Generated> run(GenerationConfig cfg) {
    NDArray prompt = manager.create(new long[] {9}, new Shape(1, 1));
    NDArray valid = manager.ones(new Shape(1, 1));
    try (DecodeState state = new DecodeState(null, prompt, valid, new long[] {1}, null)) {
      state.setLogits(ToyModel.logits(new long[] {9}, manager));
      return new Generator(new ToyModel(), EOS, PAD).generate(state, cfg, null);
    }
  }

  @Test
  void hypothesisLengthCountsItsEosAsHfDoes() {
    Generated g = run(GenerationConfig.beam(3, 2, 1.0, false)).get(0);
    assertArrayEquals(new int[] {1}, g.tokens());
    assertTrue(g.finished());
    assertEquals((-1.0 - 0.3) / 2, g.score(), 1e-5);
  }

  @Test
  void earlyStoppingStopsOnceEnoughHypothesesEnded() {
    // early_stopping True: done as soon as 2 hypotheses exist (after step 1); best is [A] at -0.65
    Generated g = run(GenerationConfig.beam(3, 2, 1.0, true)).get(0);
    assertArrayEquals(new int[] {1}, g.tokens());
    assertEquals(-0.65, g.score(), 1e-5);
  }
}
