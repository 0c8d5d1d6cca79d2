package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;

/** Feed-forward non-linearities found in the architectures we load. */
public enum ActivationType {
  /** Exact erf GELU (BERT, GIT text, ViT, BLIP-2 vision, LLaVA projector). */
  GELU,
  /** tanh approximation of GELU (GPT-2 "gelu_new"). */
  GELU_TANH,
  /** x * sigmoid(1.702 x) (CLIP). */
  QUICK_GELU,
  RELU,
  /** x * sigmoid(x); with a gated MLP this is SwiGLU (LLaMA). */
  SILU;

  public NDArray apply(NDArray x) {
    return switch (this) {
      case GELU -> ai.djl.nn.Activation.gelu(x);
      case GELU_TANH -> {
        // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        NDArray inner = Scalars.mul(Scalars.mul(Scalars.pow(x, 3), 0.044715).add(x), Math.sqrt(2 / Math.PI)).tanh();
        yield Scalars.mul(x.mul(Scalars.add(inner, 1)), 0.5);
      }
      case QUICK_GELU -> x.mul(ai.djl.nn.Activation.sigmoid(Scalars.mul(x, 1.702)));
      case RELU -> ai.djl.nn.Activation.relu(x);
      case SILU -> x.mul(ai.djl.nn.Activation.sigmoid(x));
    };
  }

  /** Parses HuggingFace {@code hidden_act} names. */
  public static ActivationType fromHf(String name) {
    return switch (name) {
      case "gelu" -> GELU;
      case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> GELU_TANH;
      case "quick_gelu" -> QUICK_GELU;
      case "relu" -> RELU;
      case "silu", "swish" -> SILU;
      default -> throw new dev.glimpse.util.GlimpseException("unsupported activation (hidden_act) '" + name + "'");
    };
  }
}
