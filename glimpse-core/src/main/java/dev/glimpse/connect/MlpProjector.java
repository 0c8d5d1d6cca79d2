package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.Linear;
import dev.glimpse.nn.ParameterStore;

/** Two-layer MLP projector, {@code linear_2(act(linear_1(x)))} (LLaVA-1.5). */
public final class MlpProjector implements Connector {
  private final Linear first;
  private final Linear second;
  private final ActivationType activation;

  public MlpProjector(ParameterStore.Scope scope, int inWidth, int outWidth, ActivationType activation, double std) {
    this.first = new Linear(scope.sub("linear_1"), inWidth, outWidth, true, std);
    this.second = new Linear(scope.sub("linear_2"), outWidth, outWidth, true, std);
    this.activation = activation;
  }

  @Override
  public NDArray forward(NDArray visualTokens) {
    return second.forward(activation.apply(first.forward(visualTokens))); // [B, N, D_text]
  }

  @Override
  public int outputTokens(int inputTokens) {
    return inputTokens;
  }
}
