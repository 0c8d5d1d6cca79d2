package dev.glimpse.hf;

import dev.glimpse.model.ModelConfig;
import dev.glimpse.util.GlimpseException;
import java.util.List;

/** The supported HuggingFace architectures, by HF {@code model_type} and by our model type. */
final class HfArchitectures {
  private static final List<HfArchitecture> ALL = List.of(new GitHf(), new ClipHf(), new LlavaHf(), new Blip2Hf(),
      new CausalLmHf("llama"), new CausalLmHf("opt"));

  private HfArchitectures() {}

  static List<String> hfTypes() {
    return ALL.stream().map(HfArchitecture::hfType).toList();
  }

  static boolean supports(String hfType) {
    return ALL.stream().anyMatch(a -> a.hfType().equals(hfType));
  }

  static HfArchitecture byHfType(String hfType, String source) {
    for (HfArchitecture a : ALL) {
      if (a.hfType().equals(hfType)) {
        return a;
      }
    }
    throw new GlimpseException(source + ": unsupported value '" + hfType + "' for option 'model_type' (supported: "
        + String.join(", ", hfTypes()) + ")");
  }

  /** The HF architecture of a Glimpse config (for a language model: LLaMA's or OPT's, by its positions). */
  static HfArchitecture of(ModelConfig config) {
    for (HfArchitecture a : ALL) {
      if (a.glimpseType().equals(config.modelType()) && a.holds(config)) {
        return a;
      }
    }
    throw new GlimpseException("model type '" + config.modelType() + "' has no HuggingFace counterpart (supported: "
        + "git, clip, llava, blip-2, lm)");
  }
}
