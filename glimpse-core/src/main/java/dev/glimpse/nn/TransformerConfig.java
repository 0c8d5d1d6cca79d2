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

  /**
   * A LLaMA-style stack: pre-norm RMSNorm 1e-6, SwiGLU MLP of {@code mlpHidden}, rotary positions
   * (base 10000), no biases, as many key/value heads as query heads.
   */
  public static TransformerConfig llama(int width, int layers, int heads, int mlpHidden) {
    return new TransformerConfig(width, layers, heads, heads, mlpHidden, NormType.RMS_NORM, 1e-6, true, true,
        ActivationType.SILU, true, false, false, 10_000, 0.02);
  }

  public int headDim() {
    return width / heads;
  }

  public TransformerConfig withLayers(int n) {
    return with(b -> b.layers = n);
  }

  public TransformerConfig withMlpHidden(int n) {
    return with(b -> b.mlpHidden = n);
  }

  /** The same stack with initial weight matrices of standard deviation {@code std}. */
  public TransformerConfig withInitStd(double std) {
    return with(b -> b.initStd = std);
  }

  /** Multiply-accumulates per token in the linear layers of the whole stack (attention scores excluded). */
  public long matmulParamsPerToken() {
    long kvWidth = (long) kvHeads * headDim();
    long attention = (long) width * width * 2 + 2L * width * kvWidth;
    long mlp = (long) width * mlpHidden * (gatedMlp ? 3 : 2);
    return layers * (attention + mlp);
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public TransformerConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link TransformerConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public int width;
    public int layers;
    public int heads;
    public int kvHeads;
    public int mlpHidden;
    public NormType norm;
    public double normEps;
    public boolean preNorm;
    public boolean finalNorm;
    public ActivationType activation;
    public boolean gatedMlp;
    public boolean attentionBias;
    public boolean mlpBias;
    public double ropeTheta;
    public double initStd;

    public Builder(TransformerConfig from) {
      width = from.width;
      layers = from.layers;
      heads = from.heads;
      kvHeads = from.kvHeads;
      mlpHidden = from.mlpHidden;
      norm = from.norm;
      normEps = from.normEps;
      preNorm = from.preNorm;
      finalNorm = from.finalNorm;
      activation = from.activation;
      gatedMlp = from.gatedMlp;
      attentionBias = from.attentionBias;
      mlpBias = from.mlpBias;
      ropeTheta = from.ropeTheta;
      initStd = from.initStd;
    }

    public TransformerConfig build() {
      return new TransformerConfig(width, layers, heads, kvHeads, mlpHidden, norm, normEps, preNorm, finalNorm,
          activation, gatedMlp, attentionBias, mlpBias, ropeTheta, initStd);
    }
  }
}
