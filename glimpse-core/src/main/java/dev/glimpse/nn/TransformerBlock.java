package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;

/**
 * One transformer layer: self-attention, optional cross-attention to a memory, feed-forward.
 * Pre-LN (default): {@code x + f(LN(x))}. Post-LN (BERT, HF GIT text layers): {@code LN(x + f(x))}.
 */
public final class TransformerBlock {
  private final boolean preNorm;
  private final Norm attentionNorm;
  private final Attention attention;
  private final Norm crossNorm; // null without cross-attention
  private final Attention crossAttention;
  private final Norm mlpNorm;
  private final Mlp mlp;

  /**
   * @param memoryWidth width of the cross-attention memory, or 0 for no cross-attention
   */
  public TransformerBlock(ParameterStore.Scope scope, TransformerConfig cfg, long memoryWidth) {
    this.preNorm = cfg.preNorm();
    this.attentionNorm = new Norm(scope.sub("attention_norm"), cfg.norm(), cfg.width(), cfg.normEps());
    this.attention = new Attention(scope.sub("attention"), cfg, cfg.width());
    if (memoryWidth > 0) {
      this.crossNorm = new Norm(scope.sub("cross_attention_norm"), cfg.norm(), cfg.width(), cfg.normEps());
      this.crossAttention = new Attention(scope.sub("cross_attention"), cfg, memoryWidth);
    } else {
      this.crossNorm = null;
      this.crossAttention = null;
    }
    this.mlpNorm = new Norm(scope.sub("mlp_norm"), cfg.norm(), cfg.width(), cfg.normEps());
    this.mlp = new Mlp(scope.sub("mlp"), cfg.width(), cfg.mlpHidden(), cfg.activation(), cfg.gatedMlp(),
        cfg.mlpBias(), cfg.initStd());
  }

  /**
   * @param x [B, T, D]
   * @param mask additive self-attention mask [B|1, 1, T, S]
   * @param cache this layer's self-attention cache or null
   * @param rope rotary tables or null
   * @param memory [B, M, D_mem] cross-attention memory, or null
   * @param memoryMask additive cross-attention mask [B|1, 1, T, M] or null
   * @param crossCache cache holding the memory's keys/values, or null
   * @return [B, T, D]
   */
  public NDArray forward(NDArray x, NDArray mask, KvCache.Layer cache, NDArray[] rope,
      NDArray memory, NDArray memoryMask, KvCache.Layer crossCache) {
    if (preNorm) {
      x = x.add(attention.forward(attentionNorm.forward(x), mask, cache, rope));
      if (crossAttention != null) {
        x = x.add(crossAttention.crossForward(crossNorm.forward(x), memory, memoryMask, crossCache));
      }
      return x.add(mlp.forward(mlpNorm.forward(x)));
    }
    x = attentionNorm.forward(x.add(attention.forward(x, mask, cache, rope)));
    if (crossAttention != null) {
      x = crossNorm.forward(x.add(crossAttention.crossForward(x, memory, memoryMask, crossCache)));
    }
    return mlpNorm.forward(x.add(mlp.forward(x)));
  }

  public Attention attention() {
    return attention;
  }

  public boolean hasCrossAttention() {
    return crossAttention != null;
  }
}
