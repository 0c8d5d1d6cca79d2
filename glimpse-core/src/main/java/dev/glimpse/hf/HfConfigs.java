package dev.glimpse.hf;

import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.List;

/** Shared pieces of the config mappings. */
final class HfConfigs {
  private HfConfigs() {}

  /** A transformer stack; an inconsistent combination becomes an error naming the config section. */
  static TransformerConfig stack(HfConfigReader r, int width, int layers, int heads, int kvHeads, int mlpHidden,
      NormType norm, double eps, boolean preNorm, boolean finalNorm, ActivationType act, boolean gated,
      boolean attentionBias, boolean mlpBias, double ropeTheta) {
    try {
      return new TransformerConfig(width, layers, heads, kvHeads, mlpHidden, norm, eps, preNorm, finalNorm, act, gated,
          attentionBias, mlpBias, ropeTheta, 0.02);
    } catch (IllegalArgumentException e) {
      throw new GlimpseException(r.where() + ": invalid sizes: " + e.getMessage());
    }
  }

  static VisionConfig vision(HfConfigReader r, int imageSize, int patchSize, int channels, TransformerConfig encoder,
      boolean classToken, boolean patchBias, boolean preNorm, boolean postNorm) {
    try {
      return new VisionConfig(imageSize, patchSize, channels, encoder, classToken, patchBias, preNorm, postNorm);
    } catch (IllegalArgumentException e) {
      throw new GlimpseException(r.where() + ": invalid sizes: " + e.getMessage());
    }
  }

  /** HuggingFace's connector models have a ViT tower: a GenLIP tower ({@code genlip} set) cannot be exported. */
  static void requireVitTower(Object genlip, String architecture) {
    if (genlip != null) {
      throw new GlimpseException("cannot write " + architecture + ": its vision tower is a GenLIP encoder, which "
          + "HuggingFace's " + architecture + " has no place for");
    }
  }

  /** The HF {@code hidden_act} name of an activation. */
  static String activationName(ActivationType a) {
    return switch (a) {
      case GELU -> "gelu";
      case GELU_TANH -> "gelu_pytorch_tanh";
      case QUICK_GELU -> "quick_gelu";
      case RELU -> "relu";
      case SILU -> "silu";
    };
  }

  /** Collects what an HF class cannot express about one of our configs. */
  static final class Problems {
    private final String hfClass;
    private final List<String> problems = new ArrayList<>();

    Problems(String hfClass) {
      this.hfClass = hfClass;
    }

    void require(boolean ok, String problem) {
      if (!ok) {
        problems.add(problem);
      }
    }

    void check() {
      if (!problems.isEmpty()) {
        throw new GlimpseException("this model cannot be written as HF " + hfClass + ": " + String.join("; ", problems));
      }
    }
  }
}
