package dev.glimpse.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.model.DecodeState;
import dev.glimpse.model.LanguageModel;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HF {@code LlamaForCausalLM} and {@code OPTForCausalLM} (transformers 4.45) as our {@link
 * LanguageModel}: the language models a connector recipe starts from ({@code glimpse train
 * --language-model DIR}). The text parts of LLaVA (LLaMA) and BLIP-2 (OPT) are mapped by the same
 * code ({@link #readLlama}, {@link #llamaTensors}, {@link #readOpt}, {@link #optTensors}), under their
 * {@code language_model.} prefix.
 */
final class CausalLmHf implements HfArchitecture {
  /** nn.LayerNorm's default, not configurable in OPT. */
  static final double OPT_LAYER_NORM_EPS = 1e-5;

  private final String hfType; // "llama" or "opt"

  CausalLmHf(String hfType) {
    this.hfType = hfType;
  }

  @Override
  public String hfType() {
    return hfType;
  }

  @Override
  public String glimpseType() {
    return LanguageModelConfig.TYPE;
  }

  /** LLaMA's for rotary positions, OPT's for a learned table. */
  @Override
  public boolean holds(ModelConfig config) {
    return hfType.equals(((LanguageModelConfig) config).learnedPositions() ? "opt" : "llama");
  }

  @Override
  public ModelConfig readConfig(JsonObject json, String source) {
    HfConfigReader r = new HfConfigReader(json, "", source);
    r.choice("model_type", hfType, hfType);
    return hfType.equals("llama") ? readLlama(r) : readOpt(r);
  }

  /** A LLaMA text config (top level or LLaVA's {@code text_config}); finishes the reader. */
  static LanguageModelConfig readLlama(HfConfigReader t) {
    int vocab = t.integer("vocab_size", 32000);
    int hidden = t.integer("hidden_size", 4096);
    int intermediate = t.integer("intermediate_size", 11008);
    int layers = t.integer("num_hidden_layers", 32);
    int heads = t.integer("num_attention_heads", 32);
    Integer kvHeads = t.nullableInteger("num_key_value_heads");
    ActivationType act = t.activation("hidden_act", "silu");
    int maxPositions = t.integer("max_position_embeddings", 2048);
    double eps = t.number("rms_norm_eps", 1e-6);
    double theta = t.number("rope_theta", 10000.0);
    t.requireNull("rope_scaling", "rotary scaling (linear, dynamic, llama3, yarn...) is not supported");
    boolean attentionBias = t.bool("attention_bias", false);
    boolean mlpBias = t.bool("mlp_bias", false);
    Integer headDim = t.nullableInteger("head_dim");
    if (headDim != null && heads > 0 && headDim != hidden / heads) {
      throw t.unsupported("head_dim", String.valueOf(headDim), "only hidden_size / num_attention_heads = "
          + (hidden / heads) + " is supported");
    }
    boolean tie = t.bool("tie_word_embeddings", false);
    t.ignore("pretraining_tp"); // a slicing of the same matrix products
    t.finish();
    TransformerConfig text = HfConfigs.stack(t, hidden, layers, heads, kvHeads == null ? heads : kvHeads, intermediate,
        NormType.RMS_NORM, eps, true, true, act, true, attentionBias, mlpBias, theta);
    return languageModel(t, text, vocab, maxPositions, 0, tie, hidden);
  }

  /** An OPT text config (top level or BLIP-2's {@code text_config}); finishes the reader. */
  static LanguageModelConfig readOpt(HfConfigReader t) {
    int vocab = t.integer("vocab_size", 50272);
    int hidden = t.integer("hidden_size", 768);
    int layers = t.integer("num_hidden_layers", 12);
    int ffn = t.integer("ffn_dim", 3072);
    int heads = t.integer("num_attention_heads", 12);
    int maxPositions = t.integer("max_position_embeddings", 2048);
    boolean preNorm = t.bool("do_layer_norm_before", true);
    boolean removeFinal = t.bool("_remove_final_layer_norm", false);
    // opt-350m: embeddings of 512 bridged to the stack's 1024 by project_in / project_out
    int projDim = t.integer("word_embed_proj_dim", hidden);
    if (projDim <= 0) {
      throw t.unsupported("word_embed_proj_dim", String.valueOf(projDim), "it must be > 0");
    }
    ActivationType act = t.activation("activation_function", "relu");
    boolean bias = t.bool("enable_bias", true);
    t.requireBool("layer_norm_elementwise_affine", true, true, "OPT LayerNorms need their weights");
    boolean tie = t.bool("tie_word_embeddings", true);
    t.finish();
    TransformerConfig text = HfConfigs.stack(t, hidden, layers, heads, heads, ffn, NormType.LAYER_NORM,
        OPT_LAYER_NORM_EPS, preNorm, preNorm && !removeFinal, act, false, bias, bias, 0);
    return languageModel(t, text, vocab, maxPositions, 2, tie, projDim);
  }

  private static LanguageModelConfig languageModel(HfConfigReader r, TransformerConfig text, int vocab,
      int maxPositions, int offset, boolean tie, int embeddingWidth) {
    try {
      return new LanguageModelConfig(text, vocab, maxPositions, offset, tie, embeddingWidth);
    } catch (IllegalArgumentException e) {
      throw new GlimpseException(r.where() + ": " + e.getMessage());
    }
  }

  /** LLaMA's tensors: {@code model} is e.g. {@code "model."}, {@code head} e.g. {@code "lm_head"}. */
  static void llamaTensors(TensorMap m, String model, String head, TransformerConfig t, boolean tie) {
    m.one("text_embedding.token_embedding", model + "embed_tokens.weight");
    for (int i = 0; i < t.layers(); i++) {
      String o = "text.layers." + i;
      String h = model + "layers." + i;
      m.norm(o + ".attention_norm", h + ".input_layernorm", false);
      m.linear(o + ".attention.query", h + ".self_attn.q_proj", t.attentionBias());
      m.linear(o + ".attention.key", h + ".self_attn.k_proj", t.attentionBias());
      m.linear(o + ".attention.value", h + ".self_attn.v_proj", t.attentionBias());
      m.linear(o + ".attention.output", h + ".self_attn.o_proj", t.attentionBias());
      m.norm(o + ".mlp_norm", h + ".post_attention_layernorm", false);
      m.linear(o + ".mlp.gate", h + ".mlp.gate_proj", t.mlpBias());
      m.linear(o + ".mlp.up", h + ".mlp.up_proj", t.mlpBias());
      m.linear(o + ".mlp.down", h + ".mlp.down_proj", t.mlpBias());
    }
    m.norm("text.final_norm", model + "norm", false);
    if (tie) {
      m.tiedCopy(head + ".weight", model + "embed_tokens.weight");
    } else {
      m.linear("lm_head", head, false);
    }
  }

  /** OPT's tensors: {@code decoder} is e.g. {@code "model.decoder."}, {@code head} e.g. {@code "lm_head"}. */
  static void optTensors(TensorMap m, String decoder, String head, LanguageModelConfig c) {
    TransformerConfig t = c.text();
    boolean tie = c.tieWordEmbeddings();
    m.one("text_embedding.token_embedding", decoder + "embed_tokens.weight");
    m.one("text_embedding.position_embedding", decoder + "embed_positions.weight");
    if (c.projectsEmbeddings()) {
      m.linear("text_embedding.project_in", decoder + "project_in", false);
      m.linear("text.project_out", decoder + "project_out", false);
    }
    for (int i = 0; i < t.layers(); i++) {
      String o = "text.layers." + i;
      String h = decoder + "layers." + i;
      m.norm(o + ".attention_norm", h + ".self_attn_layer_norm", true);
      m.linear(o + ".attention.query", h + ".self_attn.q_proj", t.attentionBias());
      m.linear(o + ".attention.key", h + ".self_attn.k_proj", t.attentionBias());
      m.linear(o + ".attention.value", h + ".self_attn.v_proj", t.attentionBias());
      m.linear(o + ".attention.output", h + ".self_attn.out_proj", t.attentionBias());
      m.norm(o + ".mlp_norm", h + ".final_layer_norm", true);
      m.linear(o + ".mlp.fc1", h + ".fc1", t.mlpBias());
      m.linear(o + ".mlp.fc2", h + ".fc2", t.mlpBias());
    }
    if (t.finalNorm()) {
      m.norm("text.final_norm", decoder + "final_layer_norm", true);
    }
    if (tie) {
      m.tiedCopy(head + ".weight", decoder + "embed_tokens.weight");
    } else {
      m.linear("lm_head", head, false);
    }
  }

  /** Whether a stack is LLaMA's (pre-RMSNorm, gated MLP, rotary, final norm). */
  static boolean isLlama(TransformerConfig t) {
    return t.preNorm() && t.finalNorm() && t.norm() == NormType.RMS_NORM && t.gatedMlp() && t.ropeTheta() > 0;
  }

  /** Whether a stack is OPT's (LayerNorm 1e-5, plain MLP, no rotary, equal biases, MHA). */
  static boolean isOpt(TransformerConfig t) {
    return t.norm() == NormType.LAYER_NORM && t.normEps() == OPT_LAYER_NORM_EPS && t.kvHeads() == t.heads()
        && !t.gatedMlp() && t.attentionBias() == t.mlpBias() && t.ropeTheta() == 0 && (!t.finalNorm() || t.preNorm());
  }

  /** LLaMA's {@code text_config} / config.json keys of a stack. */
  static JsonObject llamaConfig(TransformerConfig t, int vocab, int maxPositions, boolean tie) {
    JsonObject text = new JsonObject();
    text.addProperty("model_type", "llama");
    text.addProperty("vocab_size", vocab);
    text.addProperty("hidden_size", t.width());
    text.addProperty("intermediate_size", t.mlpHidden());
    text.addProperty("num_hidden_layers", t.layers());
    text.addProperty("num_attention_heads", t.heads());
    text.addProperty("num_key_value_heads", t.kvHeads());
    text.addProperty("hidden_act", HfConfigs.activationName(t.activation()));
    text.addProperty("max_position_embeddings", maxPositions);
    text.addProperty("rms_norm_eps", t.normEps());
    text.addProperty("rope_theta", t.ropeTheta());
    text.addProperty("attention_bias", t.attentionBias());
    text.addProperty("mlp_bias", t.mlpBias());
    text.addProperty("tie_word_embeddings", tie);
    return text;
  }

  /** OPT's {@code text_config} / config.json keys of a stack. */
  static JsonObject optConfig(LanguageModelConfig c) {
    TransformerConfig t = c.text();
    int vocab = c.vocabSize();
    int maxPositions = c.maxTextPositions();
    boolean tie = c.tieWordEmbeddings();
    JsonObject text = new JsonObject();
    text.addProperty("model_type", "opt");
    text.addProperty("vocab_size", vocab);
    text.addProperty("hidden_size", t.width());
    text.addProperty("num_hidden_layers", t.layers());
    text.addProperty("ffn_dim", t.mlpHidden());
    text.addProperty("num_attention_heads", t.heads());
    text.addProperty("max_position_embeddings", maxPositions);
    text.addProperty("do_layer_norm_before", t.preNorm());
    if (t.preNorm() && !t.finalNorm()) {
      text.addProperty("_remove_final_layer_norm", true);
    }
    text.addProperty("word_embed_proj_dim", c.embeddingWidth());
    text.addProperty("activation_function", HfConfigs.activationName(t.activation()));
    text.addProperty("enable_bias", t.attentionBias());
    text.addProperty("tie_word_embeddings", tie);
    return text;
  }

  @Override
  public JsonObject writeConfig(ModelConfig config) {
    LanguageModelConfig c = (LanguageModelConfig) config;
    TransformerConfig t = c.text();
    JsonObject o;
    String architecture;
    if (isLlama(t)) {
      o = llamaConfig(t, c.vocabSize(), c.maxTextPositions(), c.tieWordEmbeddings());
      architecture = "LlamaForCausalLM";
    } else if (isOpt(t) && c.positionOffset() == 2) {
      o = optConfig(c);
      architecture = "OPTForCausalLM";
    } else {
      throw new GlimpseException("this language model is neither LLaMA's layout (pre-RMSNorm, SwiGLU, rotary) nor "
          + "OPT's (LayerNorm 1e-5, learned positions with offset 2); HuggingFace has no class for it");
    }
    JsonArray arch = new JsonArray();
    arch.add(architecture);
    o.add("architectures", arch);
    o.addProperty("torch_dtype", "float32");
    return o;
  }

  @Override
  public TensorMap tensors(ModelConfig config) {
    LanguageModelConfig c = (LanguageModelConfig) config;
    TensorMap m = new TensorMap();
    if (c.learnedPositions()) {
      optTensors(m, "model.decoder.", "lm_head", c);
    } else {
      llamaTensors(m, "model.", "lm_head", c.text(), c.tieWordEmbeddings());
    }
    return m;
  }

  @Override
  public SpecialIds specialIds(JsonObject config) {
    HfConfigReader r = new HfConfigReader(config, "", "config.json");
    Integer pad = r.nullableInteger("pad_token_id");
    return hfType.equals("llama")
        ? new SpecialIds(r.integer("bos_token_id", 1), r.integer("eos_token_id", 2), pad == null ? -1 : pad)
        : new SpecialIds(r.integer("bos_token_id", 2), r.integer("eos_token_id", 2), pad == null ? 1 : pad);
  }

  @Override
  public void trace(Object model, VerifyInputs in, Set<String> wanted, Map<String, NDArray> out) {
    LanguageModel lm = (LanguageModel) model;
    if (in.inputIds() != null) {
      List<NDArray> states = new ArrayList<>();
      NDArray valid = LlavaHf.valid(in);
      NDArray hidden = lm.hidden(lm.embedTokens(in.inputIds()), lm.sequencePositions(valid),
          LanguageModel.causalMask(valid), null, states, null);
      states.set(states.size() - 1, hidden);
      out.put("logits", lm.logits(hidden));
      GitHf.putAll(out, "text.hidden_states.", states);
    }
  }

  /** A causal LM's generate() starts from the whole prompt and returns it with the new tokens. */
  @Override
  public Prompting prompting(VerifyInputs in, SpecialIds ids, NDManager manager) {
    return new Prompting(in.inputIds(), LlavaHf.valid(in), LlavaHf.rows(in.inputIds()));
  }

  @Override
  public boolean readsImages() {
    return false;
  }

  @Override
  public DecodeState prefill(Object model, VerifyInputs in, Prompting prompting) {
    return ((LanguageModel) model).prefill(prompting.promptIds(), prompting.promptValid(), true);
  }
}
