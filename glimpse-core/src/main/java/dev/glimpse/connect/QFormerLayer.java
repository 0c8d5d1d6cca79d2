package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;
import dev.glimpse.nn.Attention;
import dev.glimpse.nn.Mlp;
import dev.glimpse.nn.Norm;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;

/**
 * One Q-Former layer over {@code [queries; text]}: self-attention shared by both (who sees whom is
 * the mask's business), cross-attention to the image for the queries only, and a feed-forward of
 * each's own (BLIP-2's {@code intermediate_query}/{@code output_query} and {@code
 * intermediate}/{@code output}). Pre-LN ({@code x + f(LN(x))}) or post-LN ({@code LN(x + f(x))}, BERT).
 * Without text it is exactly {@link dev.glimpse.nn.TransformerBlock} over the queries, with the same
 * parameter names, so query-only checkpoints (HuggingFace's) load as they are.
 */
final class QFormerLayer {
  private final boolean preNorm;
  private final Norm attentionNorm;
  private final Attention attention;
  private final Norm crossNorm;     // null on layers without cross-attention
  private final Attention crossAttention;
  private final Norm mlpNorm;
  private final Mlp mlp;
  private final Norm textMlpNorm;   // null without a text branch
  private final Mlp textMlp;

  QFormerLayer(ParameterStore.Scope scope, TransformerConfig cfg, long memoryWidth, boolean textBranch) {
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
    this.mlp = new Mlp(scope.sub("mlp"), cfg.width(), cfg.mlpHidden(), cfg.activation(), cfg.gatedMlp(), cfg.mlpBias(),
        cfg.initStd());
    if (textBranch) {
      this.textMlpNorm = new Norm(scope.sub("text_mlp_norm"), cfg.norm(), cfg.width(), cfg.normEps());
      this.textMlp = new Mlp(scope.sub("text_mlp"), cfg.width(), cfg.mlpHidden(), cfg.activation(), cfg.gatedMlp(),
          cfg.mlpBias(), cfg.initStd());
    } else {
      this.textMlpNorm = null;
      this.textMlp = null;
    }
  }

  /**
   * @param x [B, Q + T, D]: the queries, then the text (T may be 0)
   * @param queries Q
   * @param mask additive self-attention mask [B|1, 1, Q+T, Q+T] or null
   * @param memory image features [B, M, D_mem]
   * @return [B, Q + T, D]
   */
  NDArray forward(NDArray x, int queries, NDArray mask, NDArray memory) {
    long length = x.getShape().get(1);
    if (length > queries && textMlp == null) {
      throw new IllegalStateException("this Q-Former has no text branch");
    }
    x = preNorm
        ? x.add(attention.forward(attentionNorm.forward(x), mask, null, null))
        : attentionNorm.forward(x.add(attention.forward(x, mask, null, null)));
    if (queries == 0) {
      return feedForward(x, textMlpNorm, textMlp);                                          // text alone
    }
    NDArray q = length == queries ? x : x.get(":, :" + queries + ", :");                     // [B, Q, D]
    if (crossAttention != null) {
      q = preNorm
          ? q.add(crossAttention.crossForward(crossNorm.forward(q), memory, null, null))
          : crossNorm.forward(q.add(crossAttention.crossForward(q, memory, null, null)));
    }
    q = feedForward(q, mlpNorm, mlp);
    if (length == queries) {
      return q;
    }
    NDArray text = feedForward(x.get(":, " + queries + ":, :"), textMlpNorm, textMlp);        // [B, T, D]
    return q.concat(text, 1);
  }

  private NDArray feedForward(NDArray x, Norm norm, Mlp ffn) {
    return preNorm ? x.add(ffn.forward(norm.forward(x))) : norm.forward(x.add(ffn.forward(x)));
  }
}
