package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;
import dev.glimpse.nn.Linear;
import dev.glimpse.nn.Norm;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.ParameterStore;

/** Linear projection, optionally followed by a LayerNorm (GIT's visual projection). */
public final class LinearProjector implements Connector {
  private final Linear linear;
  private final Norm norm; // null when absent

  public LinearProjector(ParameterStore.Scope scope, int inWidth, int outWidth, boolean withNorm, double normEps,
      double std) {
    this.linear = new Linear(scope.sub("linear"), inWidth, outWidth, true, std);
    this.norm = withNorm ? new Norm(scope.sub("norm"), NormType.LAYER_NORM, outWidth, normEps) : null;
  }

  @Override
  public NDArray forward(NDArray visualTokens) {
    NDArray projected = linear.forward(visualTokens); // [B, N, D_text]
    return norm == null ? projected : norm.forward(projected);
  }

  @Override
  public int outputTokens(int inputTokens) {
    return inputTokens;
  }
}
