package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;

/** y = x W^T + b, weight stored [out, in] as in PyTorch and HuggingFace checkpoints. */
public final class Linear {
  private final Parameter weight;
  private final Parameter bias; // null when the layer has no bias

  public Linear(ParameterStore.Scope scope, long in, long out, boolean bias, Init init) {
    this.weight = scope.weight("weight", init, out, in);
    this.bias = bias ? scope.bias("bias", out) : null;
  }

  /** Standard init: normal with the given std (GPT/BERT use 0.02). */
  public Linear(ParameterStore.Scope scope, long in, long out, boolean bias, double std) {
    this(scope, in, out, bias, Init.normal(std));
  }

  // x: [..., in] -> [..., out]
  public NDArray forward(NDArray x) {
    NDArray w = weight.array();
    return bias == null
        ? ai.djl.nn.core.Linear.linear(x, w).singletonOrThrow()
        : ai.djl.nn.core.Linear.linear(x, w, bias.array()).singletonOrThrow();
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  public long inFeatures() {
    return weight.shape().get(1);
  }

  public long outFeatures() {
    return weight.shape().get(0);
  }
}
