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

  /**
   * Positions row {@code row} attends to: the cached prefix (a visual prefix the model caches apart
   * from the text) plus the row's real text tokens; the prompt's size in tokens right after prefill.
   */
  public int promptTokens(int row) {
    int prefix = cache == null ? (visual == null ? 0 : (int) visual.getShape().get(1)) : (int) cache.length() - length();
    int real = 0;
    for (boolean v : valid[row]) {
      real += v ? 1 : 0;
    }
    return prefix + real;
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

  /**
   * Whether {@link #merge} can take {@code other}'s rows: both cached, visual prefixes of one shape (or
   * none), the same number of cache positions before the text (the visual prefix, when the model
   * caches it), and both with or both without a per-row visual layout.
   */
  public boolean canMerge(DecodeState other) {
    if (cache == null || other.cache == null || (visual == null) != (other.visual == null)
        || (visualValid == null) != (other.visualValid == null)) {
      return false;
    }
    if (visual != null && !visual.getShape().slice(1).equals(other.visual.getShape().slice(1))) {
      return false;
    }
    return cache.length() - length() == other.cache.length() - other.length()
        && cache.numLayers() == other.cache.numLayers();
  }

  /**
   * Appends the rows of {@code other} below this state's rows, so that requests prefilled apart
   * decode as one batch (continuous batching). The shorter history is padded at its end with
   * positions that are not real (masked as keys, never attended), so both keep their own text
   * positions and every row still sees exactly its own tokens. {@code other} is consumed and closed.
   *
   * @throws IllegalArgumentException when {@link #canMerge} is false
   */
  public void merge(DecodeState other) {
    if (!canMerge(other)) {
      throw new IllegalArgumentException("decoding states of different layouts cannot share a batch");
    }
    int target = Math.max(length(), other.length());
    padTo(target);
    other.padTo(target);
    if (visual != null) {
      visual = own(visual, visual.concat(other.visual, 0));
    }
    logits = own(logits, logits.concat(other.logits, 0));
    tokens = concat(tokens, other.tokens);
    positions = concat(positions, other.positions);
    boolean[][] v = new boolean[valid.length + other.valid.length][];
    System.arraycopy(valid, 0, v, 0, valid.length);
    System.arraycopy(other.valid, 0, v, valid.length, other.valid.length);
    valid = v;
    long[] next = java.util.Arrays.copyOf(nextPositions, nextPositions.length + other.nextPositions.length);
    System.arraycopy(other.nextPositions, 0, next, nextPositions.length, other.nextPositions.length);
    nextPositions = next;
    if (visualValid != null) {
      boolean[][] vv = new boolean[visualValid.length + other.visualValid.length][];
      long[][] vr = concat(visualRows, other.visualRows);
      long[][] vc = concat(visualColumns, other.visualColumns);
      System.arraycopy(visualValid, 0, vv, 0, visualValid.length);
      System.arraycopy(other.visualValid, 0, vv, visualValid.length, other.visualValid.length);
      visualValid = vv;
      visualRows = vr;
      visualColumns = vc;
    }
    cache.appendRows(other.cache);
    padded = padded || other.padded;
    other.close();
  }

  // Appends columns that are not real tokens (and empty cache positions) up to `target` text columns.
  private void padTo(int target) {
    int extra = target - length();
    if (extra <= 0) {
      return;
    }
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = java.util.Arrays.copyOf(tokens[i], target);
      positions[i] = java.util.Arrays.copyOf(positions[i], target);
      valid[i] = java.util.Arrays.copyOf(valid[i], target);
    }
    cache.pad(extra);
    padded = true;
  }

  /**
   * Drops the text columns that are real in no row (left by rows that have finished, or padding), so
   * that a batch that never empties does not grow without bound. Returns the number dropped.
   */
  public int compact() {
    int t = length();
    boolean[] used = new boolean[t];
    int kept = 0;
    for (int j = 0; j < t; j++) {
      for (boolean[] row : valid) {
        if (row[j]) {
          used[j] = true;
          kept++;
          break;
        }
      }
    }
    if (kept == t || kept == 0) {
      return 0;
    }
    long prefix = cache == null ? 0 : cache.length() - t;
    java.util.List<Long> ranges = new java.util.ArrayList<>();
    if (prefix > 0) {
      ranges.add(0L);
      ranges.add(prefix);
    }
    for (int j = 0; j < t; j++) {
      if (used[j] && (j == 0 || !used[j - 1])) {
        ranges.add(prefix + j);
      }
      if (used[j] && (j == t - 1 || !used[j + 1])) {
        ranges.add(prefix + j + 1);
      }
    }
    for (int i = 0; i < tokens.length; i++) {
      long[] tk = new long[kept];
      long[] ps = new long[kept];
      boolean[] vd = new boolean[kept];
      for (int j = 0, k = 0; j < t; j++) {
        if (used[j]) {
          tk[k] = tokens[i][j];
          ps[k] = positions[i][j];
          vd[k] = valid[i][j];
          k++;
        }
      }
      tokens[i] = tk;
      positions[i] = ps;
      valid[i] = vd;
    }
    if (cache != null) {
      long[] r = new long[ranges.size()];
      for (int i = 0; i < r.length; i++) {
        r[i] = ranges.get(i);
      }
      cache.keepPositions(r);
    }
    padded = false;
    for (boolean[] row : valid) {
      for (boolean b : row) {
        padded |= !b;
      }
    }
    return t - kept;
  }

  private static long[][] concat(long[][] a, long[][] b) {
    long[][] out = new long[a.length + b.length][];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
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
