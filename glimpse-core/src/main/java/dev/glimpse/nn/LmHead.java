package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;

/** Hidden states to vocabulary logits, tied to the token embedding or with its own weight (and bias). */
public final class LmHead {
  private final Parameter weight; // [V, D]; the embedding's own Parameter when tied
  private final Parameter bias;   // [V] or null

  /** Tied: logits = h E^T. */
  public static LmHead tied(TextEmbedding embedding) {
    return new LmHead(embedding.tokens(), null);
  }

  /** Untied, with its own weight and optional bias (HF GIT has both). */
  public static LmHead untied(ParameterStore.Scope scope, int width, int vocabSize, boolean bias, double std) {
    return new LmHead(scope.weight("weight", Init.normal(std), vocabSize, width),
        bias ? scope.bias("bias", vocabSize) : null);
  }

  private LmHead(Parameter weight, Parameter bias) {
    this.weight = weight;
    this.bias = bias;
  }

  // h: [..., D] -> [..., V]
  public NDArray forward(NDArray h) {
    return bias == null
        ? ai.djl.nn.core.Linear.linear(h, weight.array()).singletonOrThrow()
        : ai.djl.nn.core.Linear.linear(h, weight.array(), bias.array()).singletonOrThrow();
  }
}
