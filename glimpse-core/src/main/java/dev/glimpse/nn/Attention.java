package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;

/**
 * Multi-head (or grouped-query) scaled dot-product attention with an explicit additive mask.
 *
 * <p>Self-attention: queries, keys and values come from x; with a {@link KvCache.Layer} the new keys
 * and values are appended and the queries attend to everything cached. Cross-attention: keys and
 * values come from a memory (visual tokens) whose width may differ from the query width.
 */
public final class Attention {
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear output;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final RotaryEmbedding rotary; // null: positions are added to the embeddings instead

  /** Last attention probabilities [B, H, T, S], kept only while {@link #recordAttention} is on. */
  private NDArray lastProbabilities;
  private boolean recordAttention;

  public Attention(ParameterStore.Scope scope, TransformerConfig cfg, long memoryWidth) {
    int width = cfg.width();
    this.heads = cfg.heads();
    this.kvHeads = cfg.kvHeads();
    this.headDim = cfg.headDim();
    long kvWidth = (long) kvHeads * headDim;
    double std = cfg.initStd();
    this.query = new Linear(scope.sub("query"), width, width, cfg.attentionBias(), std);
    this.key = new Linear(scope.sub("key"), memoryWidth, kvWidth, cfg.attentionBias(), std);
    this.value = new Linear(scope.sub("value"), memoryWidth, kvWidth, cfg.attentionBias(), std);
    // Output projection scaled down by depth, as GPT-2 does for residual branches.
    this.output = new Linear(scope.sub("output"), width, width, cfg.attentionBias(),
        std / Math.sqrt(2.0 * Math.max(1, cfg.layers())));
    this.rotary = cfg.ropeTheta() > 0 ? new RotaryEmbedding(headDim, cfg.ropeTheta()) : null;
  }

  /**
   * Self-attention.
   *
   * @param x [B, T, D]
   * @param mask additive mask broadcastable to [B, H, T, S] (0 = attend, large negative = blocked), or null
   * @param cache this layer's cache, or null (then S = T)
   * @param rope cos/sin tables from {@link RotaryEmbedding#tables} or {@link Rotary2d#tables} for the T new
   *     positions, or null (required when the config has rotary positions)
   * @return [B, T, D]
   */
  public NDArray forward(NDArray x, NDArray mask, KvCache.Layer cache, NDArray[] rope) {
    NDArray q = splitHeads(query.forward(x), heads);      // [B, H, T, hd]
    NDArray k = splitHeads(key.forward(x), kvHeads);      // [B, Hkv, T, hd]
    NDArray v = splitHeads(value.forward(x), kvHeads);    // [B, Hkv, T, hd]
    if (rotary != null && rope == null) {
      throw new IllegalArgumentException("rotary attention needs position tables");
    }
    if (rope != null) { // 1D tables from the stack's RotaryEmbedding, or 2D ones (Rotary2d) from the model
      q = RotaryEmbedding.apply(q, rope[0], rope[1]);
      k = RotaryEmbedding.apply(k, rope[0], rope[1]);
    }
    if (cache != null) {
      NDArray[] kv = cache.append(k, v);                  // [B, Hkv, S, hd]
      k = kv[0];
      v = kv[1];
    }
    return output.forward(attend(q, k, v, mask));
  }

  /**
   * Cross-attention to a memory.
   *
   * @param x [B, T, D] queries
   * @param memory [B, S, D_mem] keys/values source (ignored when {@code cache} already holds them)
   * @param mask additive mask broadcastable to [B, H, T, S], or null
   * @param cache holds the memory's keys/values after the first call (memory is static), or null
   */
  public NDArray crossForward(NDArray x, NDArray memory, NDArray mask, KvCache.Layer cache) {
    NDArray q = splitHeads(query.forward(x), heads);
    NDArray k;
    NDArray v;
    if (cache != null && cache.keys() != null) {
      k = cache.keys();
      v = cache.values();
    } else {
      k = splitHeads(key.forward(memory), kvHeads);
      v = splitHeads(value.forward(memory), kvHeads);
      if (cache != null) {
        cache.append(k, v);
      }
    }
    return output.forward(attend(q, k, v, mask));
  }

  // q [B, H, T, hd], k/v [B, Hkv, S, hd] -> [B, T, H*hd]
  private NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask) {
    if (kvHeads != heads) {
      // Grouped-query: KV head j serves query heads j*g .. j*g+g-1.
      k = k.repeat(1, heads / kvHeads);
      v = v.repeat(1, heads / kvHeads);
    }
    NDArray scores = Scalars.mul(q.matMul(k.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(headDim)); // [B, H, T, S]
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray probabilities = scores.softmax(-1);                        // [B, H, T, S]
    if (recordAttention) {
      if (lastProbabilities != null) {
        lastProbabilities.close();
      }
      lastProbabilities = probabilities.duplicate();
      ai.djl.ndarray.NDScope.unregister(lastProbabilities);
    }
    NDArray context = probabilities.matMul(v);                         // [B, H, T, hd]
    long b = context.getShape().get(0);
    long t = context.getShape().get(2);
    if (t == 1) { // one query (a decoding step): [B, H, 1, hd] already has the memory order of [B, 1, H*hd]
      return context.reshape(b, 1, (long) heads * headDim);
    }
    return context.transpose(0, 2, 1, 3).reshape(b, t, (long) heads * headDim);
  }

  // [B, T, H*hd] -> [B, H, T, hd]; for T = 1 (a decoding step) a reshape alone, one native call fewer
  private NDArray splitHeads(NDArray x, int numHeads) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    if (t == 1) {
      return x.reshape(b, numHeads, 1, headDim);
    }
    return x.reshape(b, t, numHeads, headDim).transpose(0, 2, 1, 3);
  }

  /** Keeps a copy of the attention probabilities of each forward call (for attention-map plots). */
  public void setRecordAttention(boolean record) {
    this.recordAttention = record;
    if (!record && lastProbabilities != null) {
      lastProbabilities.close();
      lastProbabilities = null;
    }
  }

  /** The probabilities of the last forward call while recording, else null. [B, H, T, S] */
  public NDArray lastProbabilities() {
    return lastProbabilities;
  }

  public Linear query() {
    return query;
  }

  public Linear key() {
    return key;
  }

  public Linear value() {
    return value;
  }

  public Linear output() {
    return output;
  }
}
