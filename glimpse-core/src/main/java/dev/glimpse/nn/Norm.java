package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm ({@code (x - mean) / sqrt(var + eps) * w + b}) or RMSNorm ({@code x / sqrt(mean(x^2) + eps) * w}). */
public final class Norm {
  private final NormType type;
  private final Parameter weight;
  private final Parameter bias; // LayerNorm only
  private final float eps;
  private final long dim;

  public Norm(ParameterStore.Scope scope, NormType type, long dim, double eps) {
    this.type = type;
    this.dim = dim;
    this.eps = (float) eps;
    this.weight = scope.norm("weight", Init.ones(), dim);
    this.bias = type == NormType.LAYER_NORM ? scope.norm("bias", Init.zeros(), dim) : null;
  }

  // x: [..., D] -> [..., D]
  public NDArray forward(NDArray x) {
    if (type == NormType.LAYER_NORM) {
      return ai.djl.nn.norm.LayerNorm.layerNorm(x, new Shape(dim), weight.array(), bias.array(), eps)
          .singletonOrThrow();
    }
    NDArray meanSquare = x.square().mean(new int[] {-1}, true);
    return x.div(Scalars.add(meanSquare, eps).sqrt()).mul(weight.array());
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }
}
