package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.nn.KvCache;

/**
 * Everything a {@link StepModel} needs between decoding steps: the encoded visual prefix, the text so
 * far (prompt + generated, right-padded prompts allowed), which positions are real, each column's
 * text position, the KV cache (null when decoding without cache) and the logits for the next token.
 *
 * <p>Token bookkeeping stays on the Java heap (a cached step needs none of it as tensors, which keeps
 * the per-step operation count low); tensors are made on demand. The visual prefix, logits and cache
 * are owned by the state: they survive the per-step NDScope and are closed by {@link #close}.
 */
public final class DecodeState implements AutoCloseable {
  private NDArray visual;      // [B, N, D] visual prefix (model space), or null
  private NDArray logits;      // [B, V] scores for the next token
  private long[][] tokens;     // [B][T] prompt then generated ids
  private boolean[][] valid;   // [B][T] real token (false = prompt padding)
  private long[][] positions;  // [B][T] text position of every column
  private long[] nextPositions; // per row: text position of the next token
  private boolean padded;      // some prompt column is padding
  // Variable-size visual prefixes (GenLIP at native resolution), else null: which of the N visual
  // columns are real per row, and each one's 2D position.
  private boolean[][] visualValid;
  private long[][] visualRows;
  private long[][] visualColumns;
  private final KvCache cache;

  /**
   * @param visual visual prefix [B, N, D] (taken over by the state), or null
   * @param promptIds [B, T] int64 (copied)
   * @param promptValid [B, T] nonzero for real tokens (copied)
   * @param nextPositions each row's next text position (its prompt length)
   */
  public DecodeState(NDArray visual, NDArray promptIds, NDArray promptValid, long[] nextPositions, KvCache cache) {
    this.visual = own(null, visual);
    int b = (int) promptIds.getShape().get(0);
    int t = (int) promptIds.getShape().get(1);
    long[] ids = promptIds.toLongArray();
    float[] v = promptValid.toType(DataType.FLOAT32, false).toFloatArray();
    tokens = new long[b][t];
    valid = new boolean[b][t];
    positions = new long[b][t];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        tokens[i][j] = ids[i * t + j];
        valid[i][j] = v[i * t + j] != 0;
        positions[i][j] = j;
        padded |= !valid[i][j];
      }
    }
    this.nextPositions = nextPositions.clone();
    this.cache = cache;
  }

  private static NDArray own(NDArray old, NDArray fresh) {
    if (fresh != null) {
      NDScope.unregister(fresh);
    }
    if (old != null && old != fresh) {
      old.close();
    }
    return fresh;
  }

  public NDArray visual() {
    return visual;
  }

  /**
   * Records, per row, which visual columns are real (rows with fewer visual tokens are padded at the
   * end of the prefix) and their 2D grid positions; rows follow beam reordering.
   */
  public void setVisualLayout(boolean[][] valid, long[][] rows, long[][] columns) {
    visualValid = valid;
    visualRows = rows;
    visualColumns = columns;
  }

  /** [B][N] real visual columns, or null when every row's prefix is complete. */
  public boolean[][] visualValid() {
    return visualValid;
  }

  public long[][] visualRows() {
    return visualRows;
  }

  public long[][] visualColumns() {
    return visualColumns;
  }

  private boolean visualPadded() {
    if (visualValid == null) {
      return false;
    }
    for (boolean[] row : visualValid) {
      for (boolean v : row) {
        if (!v) {
          return true;
        }
      }
    }
    return false;
  }

  public NDArray logits() {
    return logits;
  }

  public void setLogits(NDArray next) {
    logits = own(logits, next);
  }

  public long[] nextPositions() {
    return nextPositions.clone();
  }

  /** Whether some prompt column is padding (then attention needs a key mask). */
  public boolean padded() {
    return padded;
  }

  /** Null when decoding without a cache (every step recomputes the whole sequence). */
  public KvCache cache() {
    return cache;
  }

  public boolean cached() {
    return cache != null;
  }

  public long batchSize() {
    return tokens.length;
  }

  /** Text columns so far (prompt + generated). */
  public int length() {
    return tokens[0].length;
  }

  /** Ids so far, [B, T] int64 (a new tensor in the caller's scope). */
  public NDArray tokens(NDManager manager) {
    return manager.create(flatten(tokens), new Shape(tokens.length, length()));
  }

  /** Text position of every column, [B, T] int64: prompt columns 0..T0-1, then each row's own count. */
  public NDArray positions(NDManager manager) {
    return manager.create(flatten(positions), new Shape(tokens.length, length()));
  }

  /** 1 for real tokens, 0 for prompt padding, [B, T] float32. */
  public NDArray valid(NDManager manager) {
    float[] out = new float[tokens.length * length()];
    for (int i = 0; i < tokens.length; i++) {
      for (int j = 0; j < length(); j++) {
        out[i * length() + j] = valid[i][j] ? 1 : 0;
      }
    }
    return manager.create(out, new Shape(tokens.length, length()));
  }

  /**
   * Validity of every key so far including the visual prefix, [B, N + T] float32, or null when no
   * position is padding (then no key mask is needed at all).
   */
  public NDArray keyValid(NDManager manager) {
    if (!padded && !visualPadded()) {
      return null;
    }
    int n = visual == null ? 0 : (int) visual.getShape().get(1);
    int t = length();
    float[] out = new float[tokens.length * (n + t)];
    for (int i = 0; i < tokens.length; i++) {
      for (int j = 0; j < n + t; j++) {
        boolean real = j < n ? visualValid == null || visualValid[i][j] : valid[i][j - n];
        out[i * (n + t) + j] = real ? 1 : 0;
      }
    }
    return manager.create(out, new Shape(tokens.length, n + t));
  }

  /** Appends one token per row; all rows advance one position. */
  public void append(long[] ids) {
    int b = tokens.length;
    if (ids.length != b) {
      throw new IllegalArgumentException("expected " + b + " ids, got " + ids.length);
    }
    for (int i = 0; i < b; i++) {
      tokens[i] = append(tokens[i], ids[i]);
      positions[i] = append(positions[i], nextPositions[i]);
      boolean[] v = java.util.Arrays.copyOf(valid[i], valid[i].length + 1);
      v[v.length - 1] = true;
      valid[i] = v;
      nextPositions[i]++;
    }
  }

  private static long[] append(long[] row, long value) {
    long[] out = java.util.Arrays.copyOf(row, row.length + 1);
    out[row.length] = value;
    return out;
  }

  /** Keeps (and reorders/duplicates) rows: beam search reordering and expansion. indices: [B'] int64. */
  public void select(NDArray indices) {
    long[] rows = indices.toLongArray();
    if (visual != null) {
      visual = own(visual, visual.get(indices));
    }
    if (logits != null) {
      logits = own(logits, logits.get(indices));
    }
    long[][] newTokens = new long[rows.length][];
    boolean[][] newValid = new boolean[rows.length][];
    long[][] newPositions = new long[rows.length][];
    long[] newNext = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int r = (int) rows[i];
      newTokens[i] = tokens[r].clone();
      newValid[i] = valid[r].clone();
      newPositions[i] = positions[r].clone();
      newNext[i] = nextPositions[r];
    }
    if (visualValid != null) {
      boolean[][] vv = new boolean[rows.length][];
      long[][] vr = new long[rows.length][];
      long[][] vc = new long[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        vv[i] = visualValid[(int) rows[i]];
        vr[i] = visualRows[(int) rows[i]];
        vc[i] = visualColumns[(int) rows[i]];
      }
      visualValid = vv;
      visualRows = vr;
      visualColumns = vc;
    }
    tokens = newTokens;
    valid = newValid;
    positions = newPositions;
    nextPositions = newNext;
    if (cache != null) {
      cache.select(indices);
    }
  }

  private static long[] flatten(long[][] rows) {
    int t = rows[0].length;
    long[] out = new long[rows.length * t];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * t, t);
    }
    return out;
  }

  @Override
  public void close() {
    if (visual != null) {
      visual.close();
      visual = null;
    }
    if (logits != null) {
      logits.close();
      logits = null;
    }
    if (cache != null) {
      cache.close();
    }
  }
}
