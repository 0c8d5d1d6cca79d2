package dev.glimpse.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.model.LlavaConfig;
import dev.glimpse.model.LlavaModel;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HF {@code LlavaForConditionalGeneration} (transformers 4.45 layout) as our {@link LlavaModel}: CLIP
 * vision tower read at {@code vision_feature_layer}, MLP projector, LLaMA decoder (RMSNorm, rotary
 * rotate-half, grouped-query attention, SwiGLU), the image token expanded in {@code input_ids}.
 */
final class LlavaHf implements HfArchitecture {
  @Override
  public String hfType() {
    return "llava";
  }

  @Override
  public String glimpseType() {
    return LlavaConfig.TYPE;
  }

  @Override
  public ModelConfig readConfig(JsonObject json, String source) {
    HfConfigReader r = new HfConfigReader(json, "", source);
    r.choice("model_type", "llava", "llava");
    // an absent vision_config means LlavaConfig's CLIP ViT-L/14-336; a given one starts from CLIPVisionConfig
    ClipVisionHf.Defaults defaults = r.has("vision_config") ? ClipVisionHf.Defaults.CLIP : ClipVisionHf.Defaults.LLAVA;
    HfConfigReader v = r.sub("vision_config");
    v.choice("model_type", "clip_vision_model", "clip_vision_model");
    VisionConfig vision = ClipVisionHf.read(v, defaults);
    HfConfigReader t = r.sub("text_config");
    t.choice("model_type", "llama", "llama");
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
    int imageToken = r.integer("image_token_index", 32000);
    ActivationType projectorAct = r.activation("projector_hidden_act", "gelu");
    String strategy = r.choice("vision_feature_select_strategy", "default", "default", "full");
    int featureLayer = r.integer("vision_feature_layer", -2);
    r.requireBool("multimodal_projector_bias", true, true, "the projector layers have biases");
    // image_seq_length and ignore_index serve the processor and the training loss; vocab_size is legacy
    r.ignore("image_seq_length", "ignore_index", "vocab_size", "tie_word_embeddings");
    r.finish();
    TransformerConfig text = HfConfigs.stack(t, hidden, layers, heads, kvHeads == null ? heads : kvHeads, intermediate,
        NormType.RMS_NORM, eps, true, true, act, true, attentionBias, mlpBias, theta);
    try {
      return new LlavaConfig(vision, featureLayer, strategy.equals("default"), projectorAct, text, vocab, maxPositions,
          imageToken, tie);
    } catch (IllegalArgumentException e) {
      throw new dev.glimpse.util.GlimpseException(source + ": " + e.getMessage());
    }
  }

  @Override
  public JsonObject writeConfig(ModelConfig config) {
    LlavaConfig c = (LlavaConfig) config;
    HfConfigs.requireVitTower(c.genlipVision(), "LlavaForConditionalGeneration");
    HfConfigs.Problems problems = new HfConfigs.Problems("LlavaForConditionalGeneration");
    JsonObject vision = ClipVisionHf.write(c.vision(), "clip_vision_model", problems);
    TransformerConfig t = c.text();
    problems.require(t.preNorm() && t.finalNorm() && t.norm() == NormType.RMS_NORM && t.gatedMlp() && t.ropeTheta() > 0,
        "text layers must be LLaMA layers (pre-RMSNorm, gated MLP, rotary, final norm)");
    problems.check();
    JsonObject text = new JsonObject();
    text.addProperty("model_type", "llama");
    text.addProperty("vocab_size", c.vocabSize());
    text.addProperty("hidden_size", t.width());
    text.addProperty("intermediate_size", t.mlpHidden());
    text.addProperty("num_hidden_layers", t.layers());
    text.addProperty("num_attention_heads", t.heads());
    text.addProperty("num_key_value_heads", t.kvHeads());
    text.addProperty("hidden_act", HfConfigs.activationName(t.activation()));
    text.addProperty("max_position_embeddings", c.maxTextPositions());
    text.addProperty("rms_norm_eps", t.normEps());
    text.addProperty("rope_theta", t.ropeTheta());
    text.addProperty("attention_bias", t.attentionBias());
    text.addProperty("mlp_bias", t.mlpBias());
    text.addProperty("tie_word_embeddings", c.tieWordEmbeddings());
    JsonObject o = new JsonObject();
    JsonArray arch = new JsonArray();
    arch.add("LlavaForConditionalGeneration");
    o.add("architectures", arch);
    o.addProperty("model_type", "llava");
    o.addProperty("image_token_index", c.imageTokenId());
    o.addProperty("image_seq_length", c.imageTokens());
    o.addProperty("projector_hidden_act", HfConfigs.activationName(c.projectorActivation()));
    o.addProperty("vision_feature_layer", c.visionFeatureLayer());
    o.addProperty("vision_feature_select_strategy", c.dropClassToken() ? "default" : "full");
    o.addProperty("torch_dtype", "float32");
    o.add("text_config", text);
    o.add("vision_config", vision);
    return o;
  }

  @Override
  public TensorMap tensors(ModelConfig config) {
    LlavaConfig c = (LlavaConfig) config;
    HfConfigs.requireVitTower(c.genlipVision(), "LlavaForConditionalGeneration");
    TransformerConfig t = c.text();
    TensorMap m = new TensorMap();
    ClipVisionHf.tensors(m, "vision", "vision_tower.vision_model.", c.vision().encoder().layers());
    m.linear("projector.linear_1", "multi_modal_projector.linear_1", true);
    m.linear("projector.linear_2", "multi_modal_projector.linear_2", true);
    String lm = "language_model.model.";
    m.one("text_embedding.token_embedding", lm + "embed_tokens.weight");
    for (int i = 0; i < t.layers(); i++) {
      String o = "text.layers." + i;
      String h = lm + "layers." + i;
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
    m.norm("text.final_norm", lm + "norm", false);
    if (c.tieWordEmbeddings()) {
      m.tiedCopy("language_model.lm_head.weight", lm + "embed_tokens.weight");
    } else {
      m.linear("lm_head", "language_model.lm_head", false);
    }
    return m;
  }

  @Override
  public SpecialIds specialIds(JsonObject config) {
    HfConfigReader r = new HfConfigReader(config, "", "config.json");
    HfConfigReader t = r.sub("text_config");
    Integer pad = r.nullableInteger("pad_token_id");
    Integer textPad = t.nullableInteger("pad_token_id");
    return new SpecialIds(t.integer("bos_token_id", 1), t.integer("eos_token_id", 2),
        pad != null ? pad : textPad != null ? textPad : -1);
  }

  @Override
  public void trace(Object model, VerifyInputs in, Set<String> wanted, Map<String, NDArray> out) {
    LlavaModel llava = (LlavaModel) model;
    if (wanted.stream().anyMatch(n -> n.startsWith("vision.hidden_states."))) {
      List<NDArray> states = new ArrayList<>();
      llava.vision().encode(in.pixels(), states);
      GitHf.putAll(out, "vision.hidden_states.", states);
    }
    out.put("vision.selected_features", llava.selectedFeatures(in.pixels()));
    out.put("image_features", llava.imageFeatures(in.pixels()));
    if (in.inputIds() != null) {
      List<NDArray> states = new ArrayList<>();
      out.put("logits", llava.forwardFull(in.pixels(), in.inputIds(), valid(in), states));
      GitHf.putAll(out, "text.hidden_states.", states);
    }
  }

  static NDArray valid(VerifyInputs in) {
    return in.attentionMask() != null ? in.attentionMask() : in.inputIds().onesLike().toType(DataType.FLOAT32, false);
  }

  /** LLaVA's generate() starts from the whole prompt and returns it with the new tokens. */
  @Override
  public Prompting prompting(VerifyInputs in, SpecialIds ids, NDManager manager) {
    return new Prompting(in.inputIds(), valid(in), rows(in.inputIds()));
  }

  static long[][] rows(NDArray ids) {
    long[] values = ids.toLongArray();
    int b = (int) ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    long[][] out = new long[b][];
    for (int i = 0; i < b; i++) {
      out[i] = java.util.Arrays.copyOfRange(values, i * t, (i + 1) * t);
    }
    return out;
  }
}
