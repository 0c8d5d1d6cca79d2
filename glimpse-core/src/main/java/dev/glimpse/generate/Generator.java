package dev.glimpse.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.StepModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Greedy, beam-search and sampling decoding for any {@link StepModel}, starting from a prefilled
 * {@link DecodeState} (its logits give the first new token). Token choice happens on the host from
 * float32 log-probabilities computed by the tensor library; each step runs in its own NDScope.
 * Beam search follows HuggingFace's {@code BeamSearchScorer} (2 x beams candidates per step,
 * hypotheses scored by sum log p / generated_length^lengthPenalty), so imported models decode the
 * same tokens as transformers.
 */
public final class Generator {
  private final StepModel model;
  private final int eosId;
  private final int padId;

  public Generator(StepModel model, int eosId, int padId) {
    this.model = model;
    this.eosId = eosId;
    this.padId = padId;
  }

  /** Decodes every row of the state; the state is consumed (call {@link DecodeState#close} after). */
  public List<Generated> generate(DecodeState state, GenerationConfig cfg, LogitsProcessor processor) {
    return switch (cfg.strategy()) {
      case GREEDY -> singleStream(state, () -> sampleOrGreedy(state, cfg, processor, null));
      case SAMPLE -> singleStream(state, () -> sampleOrGreedy(state, cfg, processor, new SplittableRandom(cfg.seed())));
      case BEAM -> beam(state, cfg, processor);
    };
  }

  /**
   * Runs the decoding steps of one cached row on one intra-op thread, restoring the count after: a
   * one-token step is too small to share, and a second thread only adds synchronisation (see the
   * {@code bench decode} figures in docs/benchmarks.md#training-and-decoding). Several rows, or
   * recomputing without a cache, keep every thread. The count is the calling thread's, where these
   * steps run.
   */
  private static List<Generated> singleStream(DecodeState state, Supplier<List<Generated>> steps) {
    if (state.batchSize() != 1 || !state.cached()) {
      return steps.get();
    }
    int threads = JniUtils.getNumThreads();
    if (threads <= 1) {
      return steps.get();
    }
    JniUtils.setNumThreads(1);
    try {
      return steps.get();
    } finally {
      JniUtils.setNumThreads(threads);
    }
  }

  private List<Generated> sampleOrGreedy(DecodeState state, GenerationConfig cfg, LogitsProcessor processor,
      SplittableRandom random) {
    int b = (int) state.batchSize();
    int vocab = model.vocabSize();
    List<List<Integer>> tokens = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      tokens.add(new ArrayList<>());
    }
    boolean[] done = new boolean[b];
    double[] scores = new double[b];
    NDManager manager = state.logits().getManager();
    for (int t = 0; t < cfg.maxNewTokens(); t++) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        float[] logProbs = state.logits().logSoftmax(-1).toFloatArray(); // [B * V]
        float[] logits = random == null ? logProbs : state.logits().toFloatArray();
        long[] next = new long[b];
        boolean allDone = true;
        for (int i = 0; i < b; i++) {
          if (done[i]) {
            next[i] = padId;
            continue;
          }
          float[] row = Arrays.copyOfRange(logits, i * vocab, (i + 1) * vocab);
          if (processor != null) {
            processor.process(i, toArray(tokens.get(i)), row);
          }
          int token = random == null ? argMax(row) : sample(row, cfg, random);
          next[i] = token;
          scores[i] += logProbs[i * vocab + token];
          if (token == eosId) {
            done[i] = true;
          } else {
            tokens.get(i).add(token);
            allDone = false;
          }
        }
        if (allDone || t == cfg.maxNewTokens() - 1) {
          break;
        }
        model.step(state, next, manager);
      }
    }
    List<Generated> out = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      out.add(new Generated(toArray(tokens.get(i)), done[i], scores[i]));
    }
    return out;
  }

  static int argMax(float[] row) {
    int best = 0;
    for (int v = 1; v < row.length; v++) {
      if (row[v] > row[best]) {
        best = v;
      }
    }
    return best;
  }

  /** Temperature, then top-k, then top-p (keeping at least one token), then a draw. */
  static int sample(float[] logits, GenerationConfig cfg, SplittableRandom random) {
    int v = logits.length;
    Integer[] order = new Integer[v];
    for (int i = 0; i < v; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparingInt(i -> i));
    int keep = cfg.topK() > 0 ? Math.min(cfg.topK(), v) : v;
    double max = logits[order[0]] / cfg.temperature();
    double[] probs = new double[keep];
    double sum = 0;
    for (int k = 0; k < keep; k++) {
      double s = logits[order[k]] / cfg.temperature();
      probs[k] = Double.isInfinite(s) ? 0 : Math.exp(s - max);
      sum += probs[k];
    }
    double cumulative = 0;
    int nucleus = keep;
    for (int k = 0; k < keep; k++) {
      probs[k] /= sum;
      cumulative += probs[k];
      if (cumulative >= cfg.topP()) {
        nucleus = k + 1;
        break;
      }
    }
    double mass = 0;
    for (int k = 0; k < nucleus; k++) {
      mass += probs[k];
    }
    double u = random.nextDouble() * mass;
    for (int k = 0; k < nucleus; k++) {
      u -= probs[k];
      if (u <= 0) {
        return order[k];
      }
    }
    return order[nucleus - 1];
  }

  private List<Generated> beam(DecodeState state, GenerationConfig cfg, LogitsProcessor processor) {
    int batch = (int) state.batchSize();
    int beams = cfg.numBeams();
    int vocab = model.vocabSize();
    NDManager manager = state.logits().getManager();
    long[] expand = new long[batch * beams];
    for (int i = 0; i < expand.length; i++) {
      expand[i] = i / beams;
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      state.select(manager.create(expand));
    }
    float[] beamScores = new float[batch * beams];
    for (int i = 0; i < batch; i++) {
      for (int k = 1; k < beams; k++) {
        beamScores[i * beams + k] = -1e9f; // only the first beam is live at the start
      }
    }
    int[][] sequences = new int[batch * beams][0];
    List<List<Hypothesis>> hypotheses = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      hypotheses.add(new ArrayList<>());
    }
    boolean[] rowDone = new boolean[batch];
    int candidates = 2 * beams;
    for (int t = 0; t < cfg.maxNewTokens(); t++) {
      // HF BeamSearchScorer.process: cur_len counts the token being chosen, so a hypothesis ending
      // here has generated_len = t + 1 (its EOS included) and is_done divides by t + 1 as well
      int generatedLength = t + 1;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        float[] logProbs = state.logits().logSoftmax(-1).toFloatArray(); // [B*nb*V]
        long[] nextTokens = new long[batch * beams];
        long[] sourceBeams = new long[batch * beams];
        float[] nextScores = new float[batch * beams];
        for (int i = 0; i < batch; i++) {
          if (rowDone[i]) {
            for (int k = 0; k < beams; k++) {
              nextTokens[i * beams + k] = padId;
              sourceBeams[i * beams + k] = i * beams;
            }
            continue;
          }
          // scores of every (beam, token) continuation
          float[] flat = new float[beams * vocab];
          for (int k = 0; k < beams; k++) {
            int r = i * beams + k;
            float[] row = Arrays.copyOfRange(logProbs, r * vocab, (r + 1) * vocab);
            if (processor != null) {
              processor.process(i, sequences[r], row);
            }
            for (int v = 0; v < vocab; v++) {
              flat[k * vocab + v] = row[v] + beamScores[r];
            }
          }
          int[] top = topK(flat, candidates);
          int kept = 0;
          for (int rank = 0; rank < top.length && kept < beams; rank++) {
            int beam = top[rank] / vocab;
            int token = top[rank] % vocab;
            float score = flat[top[rank]];
            if (token == eosId) {
              if (rank >= beams) {
                continue;
              }
              addHypothesis(hypotheses.get(i), sequences[i * beams + beam], score, generatedLength, cfg);
            } else {
              nextTokens[i * beams + kept] = token;
              sourceBeams[i * beams + kept] = i * beams + beam;
              nextScores[i * beams + kept] = score;
              kept++;
            }
          }
          float bestNext = flat[top[0]];
          rowDone[i] = isDone(hypotheses.get(i), bestNext, generatedLength, cfg);
        }
        beamScores = nextScores;
        int[][] reordered = new int[batch * beams][];
        for (int r = 0; r < batch * beams; r++) {
          int[] previous = sequences[(int) sourceBeams[r]];
          reordered[r] = Arrays.copyOf(previous, previous.length + 1);
          reordered[r][previous.length] = (int) nextTokens[r];
        }
        sequences = reordered;
        boolean all = true;
        for (boolean d : rowDone) {
          all &= d;
        }
        if (all || t == cfg.maxNewTokens() - 1) {
          break;
        }
        state.select(manager.create(sourceBeams));
        model.step(state, nextTokens, manager);
      }
    }
    List<Generated> out = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      List<Hypothesis> hyps = hypotheses.get(i);
      if (!rowDone[i]) {
        for (int k = 0; k < beams; k++) {
          int r = i * beams + k;
          addHypothesisFinal(hyps, sequences[r], beamScores[r], sequences[r].length, cfg);
        }
      }
      // HF sorts by score (stable) and pops the last: among equal scores the one added last wins
      Hypothesis best = hyps.get(0);
      for (Hypothesis h : hyps) {
        if (h.score >= best.score) {
          best = h;
        }
      }
      out.add(new Generated(best.tokens, best.finished, best.score));
    }
    return out;
  }

  private record Hypothesis(int[] tokens, double score, boolean finished) {}

  private static void addHypothesis(List<Hypothesis> hyps, int[] tokens, float sumLogProbs, int generatedLength,
      GenerationConfig cfg) {
    insert(hyps, new Hypothesis(tokens.clone(), normalise(sumLogProbs, generatedLength, cfg), true), cfg.numBeams());
  }

  private static void addHypothesisFinal(List<Hypothesis> hyps, int[] tokens, float sumLogProbs, int length,
      GenerationConfig cfg) {
    insert(hyps, new Hypothesis(tokens.clone(), normalise(sumLogProbs, length, cfg), false), cfg.numBeams());
  }

  // HF: score = sum_logprobs / generated_len ** length_penalty (float32 division in Python floats)
  private static double normalise(float sumLogProbs, int generatedLength, GenerationConfig cfg) {
    return sumLogProbs / Math.pow(Math.max(generatedLength, 1), cfg.lengthPenalty());
  }

  // Keeps the numBeams best hypotheses.
  private static void insert(List<Hypothesis> hyps, Hypothesis h, int numBeams) {
    double worst = hyps.stream().mapToDouble(Hypothesis::score).min().orElse(Double.POSITIVE_INFINITY);
    if (hyps.size() < numBeams || h.score > worst) {
      hyps.add(h);
      if (hyps.size() > numBeams) {
        Hypothesis worstHyp = hyps.stream().min(Comparator.comparingDouble(Hypothesis::score)).orElseThrow();
        hyps.remove(worstHyp);
      }
    }
  }

  // HF BeamHypotheses.is_done (early_stopping False): no running beam can still beat the worst kept one
  private static boolean isDone(List<Hypothesis> hyps, float bestSumLogProbs, int generatedLength,
      GenerationConfig cfg) {
    if (hyps.size() < cfg.numBeams()) {
      return false;
    }
    if (cfg.earlyStopping()) {
      return true;
    }
    double worst = hyps.stream().mapToDouble(Hypothesis::score).min().orElseThrow();
    double best = bestSumLogProbs / Math.pow(generatedLength, cfg.lengthPenalty());
    return worst >= best;
  }

  // indices of the k largest values, largest first (ties: lower index first)
  private static int[] topK(float[] values, int k) {
    k = Math.min(k, values.length);
    int[] best = new int[k];
    int size = 0;
    for (int i = 0; i < values.length; i++) {
      if (size < k || values[i] > values[best[size - 1]]) {
        int pos = size < k ? size++ : size - 1;
        while (pos > 0 && values[best[pos - 1]] < values[i]) {
          best[pos] = best[pos - 1];
          pos--;
        }
        best[pos] = i;
      }
    }
    return best;
  }

  private static int[] toArray(List<Integer> list) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }
}
