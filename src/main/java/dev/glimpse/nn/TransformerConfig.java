package dev.glimpse.nn;

/**
 * A stack of transformer layers. Our defaults are pre-LN, LayerNorm, GELU, biases everywhere and a
 * final norm; the other settings express the HuggingFace variants we load (post-LN BERT/GIT text
 * layers, CLIP's quick-GELU, LLaMA's RMSNorm + SwiGLU + rotary + grouped-query attention).
 *
 * @param width model dimension D
 * @param layers number of blocks
 * @param heads query heads (D must divide evenly)
 * @param kvHeads key/value heads; fewer than {@code heads} is grouped-query attention
 * @param mlpHidden hidden size of the feed-forward
 * @param preNorm true: x + f(LN(x)); false (post-LN): LN(x + f(x))
 * @param finalNorm a norm after the last block (usual for pre-LN stacks)
 * @param ropeTheta rotary position base; 0 means no rotary embedding
 * @param initStd standard deviation of the initial weight matrices
 */
public record TransformerConfig(
    int width,
    int layers,
    int heads,
    int kvHeads,
    int mlpHidden,
    NormType norm,
    double normEps,
    boolean preNorm,
    boolean finalNorm,
    ActivationType activation,
    boolean gatedMlp,
    boolean attentionBias,
    boolean mlpBias,
    double ropeTheta,
    double initStd) {

  public TransformerConfig {
    positive("width", width);
    if (layers < 0) {
      throw new IllegalArgumentException("layers must be >= 0, got " + layers);
    }
    positive("heads", heads);
    positive("kvHeads", kvHeads);
    positive("mlpHidden", mlpHidden);
    if (width % heads != 0) {
      throw new IllegalArgumentException("width " + width + " is not divisible by heads " + heads);
    }
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException("heads " + heads + " is not a multiple of kvHeads " + kvHeads);
    }
    if (!(normEps > 0)) {
      throw new IllegalArgumentException("normEps must be > 0, got " + normEps);
    }
    if (ropeTheta < 0) {
      throw new IllegalArgumentException("ropeTheta must be >= 0, got " + ropeTheta);
    }
    if (!(initStd > 0)) {
      throw new IllegalArgumentException("initStd must be > 0, got " + initStd);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }

  /** Our default block: pre-LN, LayerNorm 1e-6, GELU MLP of 4x width, final norm. */
  public static TransformerConfig preLn(int width, int layers, int heads) {
    return new TransformerConfig(width, layers, heads, heads, 4 * width, NormType.LAYER_NORM, 1e-6,
        true, true, ActivationType.GELU, false, true, true, 0, 0.02);
  }

  public int headDim() {
    return width / heads;
  }

  public TransformerConfig withLayers(int n) {
    return new TransformerConfig(width, n, heads, kvHeads, mlpHidden, norm, normEps, preNorm, finalNorm,
        activation, gatedMlp, attentionBias, mlpBias, ropeTheta, initStd);
  }

  public TransformerConfig withMlpHidden(int n) {
    return new TransformerConfig(width, layers, heads, kvHeads, n, norm, normEps, preNorm, finalNorm,
        activation, gatedMlp, attentionBias, mlpBias, ropeTheta, initStd);
  }

  /** The same stack with initial weight matrices of standard deviation {@code std}. */
  public TransformerConfig withInitStd(double std) {
    return new TransformerConfig(width, layers, heads, kvHeads, mlpHidden, norm, normEps, preNorm, finalNorm,
        activation, gatedMlp, attentionBias, mlpBias, ropeTheta, std);
  }

  /** Multiply-accumulates per token in the linear layers of the whole stack (attention scores excluded). */
  public long matmulParamsPerToken() {
    long kvWidth = (long) kvHeads * headDim();
    long attention = (long) width * width * 2 + 2L * width * kvWidth;
    long mlp = (long) width * mlpHidden * (gatedMlp ? 3 : 2);
    return layers * (attention + mlp);
  }
}
