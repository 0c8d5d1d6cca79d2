package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;

/**
 * Position-wise feed-forward: {@code fc2(act(fc1(x)))}, or gated ({@code down(act(gate(x)) * up(x))},
 * SwiGLU when the activation is SiLU).
 */
public final class Mlp {
  private final Linear fc1; // "up" in the gated form
  private final Linear gate; // null unless gated
  private final Linear fc2;
  private final ActivationType activation;

  public Mlp(ParameterStore.Scope scope, long dim, long hidden, ActivationType activation, boolean gated,
      boolean bias, double std) {
    this.activation = activation;
    this.fc1 = new Linear(scope.sub(gated ? "up" : "fc1"), dim, hidden, bias, std);
    this.gate = gated ? new Linear(scope.sub("gate"), dim, hidden, bias, std) : null;
    this.fc2 = new Linear(scope.sub(gated ? "down" : "fc2"), hidden, dim, bias, std);
  }

  // x: [B, T, D] -> [B, T, D]
  public NDArray forward(NDArray x) {
    NDArray hidden = gate == null
        ? activation.apply(fc1.forward(x))                         // [B, T, H]
        : activation.apply(gate.forward(x)).mul(fc1.forward(x));   // [B, T, H]
    return fc2.forward(hidden);
  }
}
