package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A DiT block with cross-attention (Peebles and Xie 2023; PixArt-alpha, Chen et al. 2024): self-attention
 * and MLP on normed tokens whose shift and scale, and the residual gates, are regressed from a
 * conditioning vector (adaLN-Zero: the regression starts at zero, so each block starts as the
 * identity), and a plain pre-LN cross-attention to a memory (text context) between them.
 *
 * <pre>
 *   x = x + g1 * attn(LN(x) * (1 + s1) + b1)
 *   x = x + xattn(LN(x), memory)
 *   x = x + g2 * mlp(LN(x) * (1 + s2) + b2)
 * </pre>
 */
public final class ModulatedBlock {
  private final Norm attentionNorm;
  private final Attention attention;
  private final Norm crossNorm;
  private final Attention crossAttention;
  private final Norm mlpNorm;
  private final Mlp mlp;
  private final Linear modulation; // conditioning [D] -> shift, scale, gate for attention and MLP [6 D]
  private final int width;

  /** @param memoryWidth width of the cross-attention memory (> 0) */
  public ModulatedBlock(ParameterStore.Scope scope, TransformerConfig cfg, long memoryWidth) {
    if (memoryWidth <= 0) {
      throw new IllegalArgumentException("a modulated block needs a memory to cross-attend to");
    }
    this.width = cfg.width();
    this.attentionNorm = new Norm(scope.sub("attention_norm"), cfg.norm(), width, cfg.normEps());
    this.attention = new Attention(scope.sub("attention"), cfg, width);
    this.crossNorm = new Norm(scope.sub("cross_attention_norm"), cfg.norm(), width, cfg.normEps());
    this.crossAttention = new Attention(scope.sub("cross_attention"), cfg, memoryWidth);
    this.mlpNorm = new Norm(scope.sub("mlp_norm"), cfg.norm(), width, cfg.normEps());
    this.mlp = new Mlp(scope.sub("mlp"), width, cfg.mlpHidden(), cfg.activation(), cfg.gatedMlp(), cfg.mlpBias(),
        cfg.initStd());
    this.modulation = new Linear(scope.sub("modulation"), width, 6L * width, true, Init.zeros());
  }

  /**
   * @param x tokens [B, N, D]
   * @param condition [B, D] (the timestep embedding)
   * @param memory [B, S, D_mem]
   * @param memoryMask additive key mask [B, 1, 1, S] or null
   * @return [B, N, D]
   */
  public NDArray forward(NDArray x, NDArray condition, NDArray memory, NDArray memoryMask) {
    NDList m = modulation.forward(ActivationType.SILU.apply(condition)).expandDims(1).split(6, 2); // 6 x [B, 1, D]
    NDArray h = modulate(attentionNorm.forward(x), m.get(0), m.get(1));
    x = x.add(m.get(2).mul(attention.forward(h, null, null, null)));
    x = x.add(crossAttention.crossForward(crossNorm.forward(x), memory, memoryMask, null));
    h = modulate(mlpNorm.forward(x), m.get(3), m.get(4));
    return x.add(m.get(5).mul(mlp.forward(h)));
  }

  /** x (1 + scale) + shift, with shift and scale [B, 1, D] broadcast over the tokens. */
  static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
    return x.mul(scale.add(1f)).add(shift);
  }
}
