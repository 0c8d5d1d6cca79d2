package dev.glimpse.generate;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.StepModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Iteration-level scheduling of decoding (continuous batching, as Orca, vLLM and TGI schedule) for
 * any {@link StepModel}: sequences prefilled at different times join the running batch between two
 * decoding steps ({@link #join}), each keeps its own sampling settings, random stream, stop
 * condition, text positions and KV-cache rows, and a sequence that ends leaves the batch at once, so
 * the others never wait for it. The batch is one {@link DecodeState}; rows of different lengths share
 * it through masked padding positions ({@link DecodeState#merge}), and positions that no row needs
 * any more are dropped ({@link DecodeState#compact}).
 *
 * <p>Tokens are chosen exactly as {@link Generator} chooses them (greedy: arg-max of the
 * log-probabilities; sampling: temperature, top-k, top-p over the logits), so a greedy sequence gets
 * the tokens it gets when decoded alone. Not thread-safe: one thread joins, steps and closes.
 */
public final class BatchDecoder implements AutoCloseable {
  /** Why a sequence ended. */
  public enum Finish {
    /** EOS, or the listener asked to stop (a stop sequence). */
    STOP,
    /** It reached its token budget. */
    LENGTH,
    /** {@link Sequence#cancel} was called. */
    CANCELLED
  }

  /** Receives one sequence's tokens as they are chosen; called on the decoding thread, so keep it short. */
  public interface Listener {
    /**
     * A new token (never EOS).
     *
     * @return true to end the sequence after this token (e.g. a stop sequence has appeared)
     */
    boolean token(int id);

    /** The sequence has ended and left the batch. */
    void finished(Finish reason, Generated generated);
  }

  /** One sequence being decoded: its settings, its tokens so far and its listener. */
  public static final class Sequence {
    private final GenerationConfig config;
    private final SplittableRandom random;
    private final Listener listener;
    private final int minTokens;
    private final List<Integer> tokens = new ArrayList<>();
    private double score;
    private volatile boolean cancelled;

    /**
     * @param config greedy or sampling settings (beam search cannot share a running batch); its
     *     {@code maxNewTokens} bounds this sequence and its {@code seed} starts its random stream
     */
    public Sequence(GenerationConfig config, Listener listener) {
      this(config, 0, listener);
    }

    /**
     * @param minTokens EOS is not chosen before this many tokens (benchmarks that need fixed lengths)
     */
    public Sequence(GenerationConfig config, int minTokens, Listener listener) {
      if (config.strategy() == GenerationConfig.Strategy.BEAM) {
        throw new IllegalArgumentException("beam search does not run in a shared batch");
      }
      this.config = config;
      this.random = config.strategy() == GenerationConfig.Strategy.SAMPLE ? new SplittableRandom(config.seed()) : null;
      this.listener = listener;
      this.minTokens = minTokens;
    }

    /** Ends the sequence before the next step (safe from any thread). */
    public void cancel() {
      cancelled = true;
    }

    public boolean cancelled() {
      return cancelled;
    }

    /** Tokens generated so far. */
    public int generated() {
      return tokens.size();
    }

    private Generated result(boolean finished) {
      int[] out = new int[tokens.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = tokens.get(i);
      }
      return new Generated(out, finished, score);
    }
  }

  private final StepModel model;
  private final int eosId;
  private final int allowedVocab;
  private final List<Sequence> rows = new ArrayList<>();
  private DecodeState state;

  /**
   * @param allowedVocab ids at or above this are never chosen (a tokenizer smaller than the model's
   *     embedding table, as {@link Captioner} does); the model's vocabulary for no limit
   */
  public BatchDecoder(StepModel model, int eosId, int allowedVocab) {
    this.model = model;
    this.eosId = eosId;
    this.allowedVocab = allowedVocab;
  }

  /** Sequences in the running batch. */
  public int size() {
    return rows.size();
  }

  /** Positions each row of the running batch spans (text columns; 0 when empty). */
  public int length() {
    return state == null ? 0 : state.length();
  }

  /** Whether a prefilled state can join the running batch now (same layout, see {@link DecodeState#canMerge}). */
  public boolean canJoin(DecodeState prefilled) {
    return state == null || state.canMerge(prefilled);
  }

  /**
   * Adds prefilled sequences to the running batch; their first tokens are chosen at the next
   * {@link #step}. The state is taken over (merged and closed).
   *
   * @param sequences one per row of {@code prefilled}, in row order
   */
  public void join(DecodeState prefilled, List<Sequence> sequences) {
    if (sequences.size() != prefilled.batchSize()) {
      throw new IllegalArgumentException(prefilled.batchSize() + " rows but " + sequences.size() + " sequences");
    }
    if (!prefilled.cached()) {
      throw new IllegalArgumentException("continuous batching decodes with the KV cache");
    }
    if (state == null) {
      state = prefilled;
    } else {
      state.merge(prefilled);
    }
    rows.addAll(sequences);
  }

  /**
   * One decoding iteration: cancelled sequences leave, every other sequence gets its next token (and
   * its listener hears of it), finished sequences leave, and the model advances the rest by one
   * position. Does nothing when the batch is empty.
   *
   * @param manager where the step's tensors are created
   */
  public void step(NDManager manager) {
    if (rows.isEmpty()) {
      return;
    }
    int b = rows.size();
    int vocab = model.vocabSize();
    boolean[] leave = new boolean[b];
    long[] next = new long[b];
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      boolean anySample = false;
      for (Sequence s : rows) {
        anySample |= s.random != null;
      }
      float[] logProbs = state.logits().logSoftmax(-1).toFloatArray();     // [B * V]
      float[] logits = anySample ? state.logits().toFloatArray() : null;
      for (int i = 0; i < b; i++) {
        Sequence s = rows.get(i);
        if (s.cancelled) {
          leave[i] = true;
          s.listener.finished(Finish.CANCELLED, s.result(false));
          continue;
        }
        float[] row = Arrays.copyOfRange(s.random == null ? logProbs : logits, i * vocab, (i + 1) * vocab);
        if (allowedVocab < row.length) {
          Arrays.fill(row, Math.max(0, allowedVocab), row.length, Float.NEGATIVE_INFINITY);
        }
        if (s.tokens.size() < s.minTokens && eosId >= 0 && eosId < row.length) {
          row[eosId] = Float.NEGATIVE_INFINITY;
        }
        int token = s.random == null ? Generator.argMax(row) : Generator.sample(row, s.config, s.random);
        next[i] = token;
        s.score += logProbs[i * vocab + token];
        if (token == eosId) {
          leave[i] = true;
          s.listener.finished(Finish.STOP, s.result(true));
          continue;
        }
        s.tokens.add(token);
        boolean stop = s.listener.token(token);
        if (stop) {
          leave[i] = true;
          s.listener.finished(Finish.STOP, s.result(true));
        } else if (s.tokens.size() >= s.config.maxNewTokens()) {
          leave[i] = true;
          s.listener.finished(Finish.LENGTH, s.result(false));
        }
      }
      int stay = 0;
      for (boolean l : leave) {
        stay += l ? 0 : 1;
      }
      if (stay == 0) {
        rows.clear();
        state.close();
        state = null;
        return;
      }
      long[] ids = next;
      if (stay < b) {
        long[] keep = new long[stay];
        ids = new long[stay];
        List<Sequence> kept = new ArrayList<>(stay);
        for (int i = 0, k = 0; i < b; i++) {
          if (!leave[i]) {
            keep[k] = i;
            ids[k++] = next[i];
            kept.add(rows.get(i));
          }
        }
        state.select(manager.create(keep));
        state.compact();
        rows.clear();
        rows.addAll(kept);
      }
      advance(ids, manager);
    }
  }

  // One-row batches run on one intra-op thread, as Generator's single-stream decoding does.
  private void advance(long[] ids, NDManager manager) {
    if (ids.length != 1) {
      model.step(state, ids, manager);
      return;
    }
    int threads = JniUtils.getNumThreads();
    if (threads <= 1) {
      model.step(state, ids, manager);
      return;
    }
    JniUtils.setNumThreads(1);
    try {
      model.step(state, ids, manager);
    } finally {
      JniUtils.setNumThreads(threads);
    }
  }

  /** Ends every running sequence as cancelled and frees the batch. */
  @Override
  public void close() {
    for (Sequence s : rows) {
      s.listener.finished(Finish.CANCELLED, s.result(false));
    }
    rows.clear();
    if (state != null) {
      state.close();
      state = null;
    }
  }
}
