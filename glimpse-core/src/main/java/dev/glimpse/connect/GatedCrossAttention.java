package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;
import dev.glimpse.nn.Attention;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Mlp;
import dev.glimpse.nn.Norm;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;

/**
 * Flamingo's GATED XATTN-DENSE layer (Alayrac et al. 2022, section 2.2, figure 4), inserted before a
 * block of a frozen language model: {@code y = y + tanh(a) * xattn(LN(y), visual)}, then {@code y = y +
 * tanh(b) * ffw(LN(y))}, both gates starting at 0, so at initialisation the layer is the identity and
 * the model computes exactly what the frozen language model does. Each text token attends only to the
 * visual tokens the mask lets it ({@code AttentionMask#media}: those of the image just before it); a
 * token with no image before it gets no cross-attention at all.
 */
public final class GatedCrossAttention {
  private final Norm attentionNorm;
  private final Attention attention;
  private final Parameter attentionGate; // [1]
  private final Norm mlpNorm;
  private final Mlp mlp;
  private final Parameter mlpGate;       // [1]

  /**
   * @param stack the layer's sizes: text width, heads, feed-forward width
   * @param visualWidth width of the visual tokens (the resampler's output)
   */
  public GatedCrossAttention(ParameterStore.Scope scope, TransformerConfig stack, int visualWidth) {
    int width = stack.width();
    this.attentionNorm = new Norm(scope.sub("attention_norm"), stack.norm(), width, stack.normEps());
    this.attention = new Attention(scope.sub("attention"), stack, visualWidth);
    this.attentionGate = scope.token("attention_gate", Init.zeros(), 1);
    this.mlpNorm = new Norm(scope.sub("mlp_norm"), stack.norm(), width, stack.normEps());
    this.mlp = new Mlp(scope.sub("mlp"), width, stack.mlpHidden(), stack.activation(), false, false, stack.initStd());
    this.mlpGate = scope.token("mlp_gate", Init.zeros(), 1);
  }

  /**
   * @param text [B, T, D] the language model's hidden states
   * @param visual [B, M, D_v] every visual token of the row's images
   * @param mask additive [B, 1, T, M] ({@code AttentionMask#media})
   * @param hasMedia [B, T, 1] 1 where a token has an image before it (the others get no cross-attention)
   * @return [B, T, D]
   */
  public NDArray forward(NDArray text, NDArray visual, NDArray mask, NDArray hasMedia) {
    NDArray attended = attention.crossForward(attentionNorm.forward(text), visual, mask, null).mul(hasMedia);
    NDArray y = text.add(attended.mul(attentionGate.array().tanh()));
    return y.add(mlp.forward(mlpNorm.forward(y)).mul(mlpGate.array().tanh()));
  }

  /** The gates' values {@code tanh(a)}, {@code tanh(b)}: how much vision the layer lets in. */
  public float[] gates() {
    return new float[] {(float) Math.tanh(attentionGate.array().getFloat(0)), (float) Math.tanh(mlpGate.array().getFloat(0))};
  }
}
