package dev.glimpse.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.model.LanguageModelConfig;
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
    LanguageModelConfig lm = CausalLmHf.readLlama(t);
    int imageToken = r.integer("image_token_index", 32000);
    ActivationType projectorAct = r.activation("projector_hidden_act", "gelu");
    String strategy = r.choice("vision_feature_select_strategy", "default", "default", "full");
    int featureLayer = r.integer("vision_feature_layer", -2);
    r.requireBool("multimodal_projector_bias", true, true, "the projector layers have biases");
    // image_seq_length and ignore_index serve the processor and the training loss; vocab_size is legacy
    r.ignore("image_seq_length", "ignore_index", "vocab_size", "tie_word_embeddings");
    r.finish();
    try {
      return new LlavaConfig(vision, featureLayer, strategy.equals("default"), projectorAct, lm.text(), lm.vocabSize(),
          lm.maxTextPositions(), imageToken, lm.tieWordEmbeddings());
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
    problems.require(CausalLmHf.isLlama(t), "text layers must be LLaMA layers (pre-RMSNorm, gated MLP, rotary, final norm)");
    problems.check();
    JsonObject text = CausalLmHf.llamaConfig(t, c.vocabSize(), c.maxTextPositions(), c.tieWordEmbeddings());
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
    CausalLmHf.llamaTensors(m, "language_model.model.", "language_model.lm_head", t, c.tieWordEmbeddings());
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
