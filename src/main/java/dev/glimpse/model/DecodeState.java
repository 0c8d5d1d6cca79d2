package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import dev.glimpse.nn.KvCache;

/**
 * Everything a {@link StepModel} needs between decoding steps: the encoded visual prefix, the text so
 * far (prompt + generated, right-padded prompts allowed), which positions are real, each row's next
 * position, the KV cache (null when decoding without cache) and the logits for the next token.
 * The state owns its arrays: they survive the per-step NDScope and are closed by {@link #close}.
 */
public final class DecodeState implements AutoCloseable {
  private NDArray visual;   // [B, N, D] visual prefix (model space), or null
  private NDArray tokens;   // [B, T] int64, prompt then generated ids
  private NDArray valid;    // [B, T] float32, 1 = real token, 0 = prompt padding
  private NDArray positions; // [B, T] int64 text position of every column
  private NDArray logits;   // [B, V] scores for the next token
  private long[] nextPositions; // per row: text position of the next token
  private final KvCache cache;

  public DecodeState(NDArray visual, NDArray tokens, NDArray valid, long[] nextPositions, KvCache cache) {
    this.visual = own(null, visual);
    // Copies: the caller keeps ownership of the prompt arrays it passed in.
    this.tokens = own(null, tokens.duplicate());
    this.valid = own(null, valid.toType(DataType.FLOAT32, true));
    long b = tokens.getShape().get(0);
    long t = tokens.getShape().get(1);
    this.positions = own(null, tokens.getManager().arange(0, t, 1, DataType.INT64).reshape(1, t).repeat(0, b));
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

  public NDArray tokens() {
    return tokens;
  }

  public NDArray valid() {
    return valid;
  }

  /** Text position of every column [B, T]: prompt columns 0..T0-1, then each row's own count. */
  public NDArray positions() {
    return positions;
  }

  public NDArray logits() {
    return logits;
  }

  public long[] nextPositions() {
    return nextPositions.clone();
  }

  /** Null when decoding without a cache (every step recomputes the whole sequence). */
  public KvCache cache() {
    return cache;
  }

  public boolean cached() {
    return cache != null;
  }

  public long batchSize() {
    return tokens.getShape().get(0);
  }

  public void setLogits(NDArray next) {
    logits = own(logits, next);
  }

  /** Appends one token per row ([B] or [B, 1] int64); all rows advance one position. */
  public void append(NDArray ids) {
    NDArray column = ids.reshape(-1, 1).toType(DataType.INT64, false);
    tokens = own(tokens, tokens.concat(column, 1));
    valid = own(valid, valid.concat(valid.getManager().ones(column.getShape()), 1));
    positions = own(positions, positions.concat(column.getManager().create(nextPositions).reshape(-1, 1), 1));
    for (int i = 0; i < nextPositions.length; i++) {
      nextPositions[i]++;
    }
  }

  /** Keeps (and reorders/duplicates) rows: beam search reordering and expansion. indices: [B'] int64. */
  public void select(NDArray indices) {
    long[] rows = indices.toLongArray();
    if (visual != null) {
      visual = own(visual, visual.get(indices));
    }
    tokens = own(tokens, tokens.get(indices));
    valid = own(valid, valid.get(indices));
    positions = own(positions, positions.get(indices));
    if (logits != null) {
      logits = own(logits, logits.get(indices));
    }
    long[] positions = new long[rows.length];
    for (int i = 0; i < rows.length; i++) {
      positions[i] = nextPositions[(int) rows[i]];
    }
    nextPositions = positions;
    if (cache != null) {
      cache.select(indices);
    }
  }

  /** Additive key mask over everything decoded so far, [B, 1, 1, N + T] (visual prefix always valid). */
  public NDArray keyValid() {
    if (visual == null) {
      return valid;
    }
    NDArray prefix = valid.getManager().ones(new ai.djl.ndarray.types.Shape(valid.getShape().get(0),
        visual.getShape().get(1)));
    return NDArrays.concat(new ai.djl.ndarray.NDList(prefix, valid), 1);
  }

  @Override
  public void close() {
    for (NDArray a : new NDArray[] {visual, tokens, valid, positions, logits}) {
      if (a != null) {
        a.close();
      }
    }
    visual = tokens = valid = positions = logits = null;
    if (cache != null) {
      cache.close();
    }
  }
}
