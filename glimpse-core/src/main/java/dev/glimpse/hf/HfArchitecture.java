package dev.glimpse.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.model.CaptioningModel;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.StepModel;
import java.util.Map;
import java.util.Set;

/**
 * One HuggingFace architecture: its {@code config.json} to and from our config record, its state-dict
 * names to and from ours (one {@link TensorMap}), and what {@code hf verify} computes for it.
 */
interface HfArchitecture {
  /** HF {@code model_type}. */
  String hfType();

  /** Our registered model type ({@link dev.glimpse.model.Models}). */
  String glimpseType();

  /**
   * Whether this architecture is the HF counterpart of {@code config}, a config of {@link #glimpseType}
   * (one Glimpse type may have several: a language model is LLaMA's or OPT's).
   */
  default boolean holds(ModelConfig config) {
    return true;
  }

  /** Maps an HF config; unsupported options are errors naming the option. */
  ModelConfig readConfig(JsonObject config, String source);

  /** The HF config.json of our config; an error lists what HF's class cannot express. */
  JsonObject writeConfig(ModelConfig config);

  /** Tensor names both ways for this config. */
  TensorMap tensors(ModelConfig config);

  /** BOS/EOS/PAD ids as HF's generate() takes them from the model config (-1: not set). */
  SpecialIds specialIds(JsonObject config);

  /**
   * Computes the fixture-named float tensors of this architecture that are in {@code wanted}
   * (vision hidden states, projections, logits...), into {@code out}.
   */
  void trace(Object model, VerifyInputs in, Set<String> wanted, Map<String, NDArray> out);

  /** How HF's generate() is prompted and what it returns before the new tokens; null if it cannot generate. */
  Prompting prompting(VerifyInputs in, SpecialIds ids, NDManager manager);

  /** Whether the model reads {@code pixel_values} (a text-only language model does not). */
  default boolean readsImages() {
    return true;
  }

  /**
   * Runs generate()'s prompt (with a KV cache) and leaves the first next-token scores in the state,
   * which the model, a {@link StepModel}, then steps. A captioner encodes the image first.
   */
  default DecodeState prefill(Object model, VerifyInputs in, Prompting prompting) {
    return ((CaptioningModel) model).prefill(in.pixels(), prompting.promptIds(), prompting.promptValid(), true);
  }

  /** BOS/EOS/PAD ids; -1 when the config sets none. */
  record SpecialIds(int bos, int eos, int pad) {}

  /**
   * The tensors of a verify run: pixel_values (float; null for a text-only model), input_ids and
   * attention_mask (int64; may be null).
   */
  record VerifyInputs(NDArray pixels, NDArray inputIds, NDArray attentionMask) {}

  /**
   * @param promptIds [B, T] the prompt generate() starts from
   * @param promptValid [B, T] its attention mask
   * @param outputPrefix per row, the ids HF's returned sequence holds before the new tokens
   */
  record Prompting(NDArray promptIds, NDArray promptValid, long[][] outputPrefix) {}
}
