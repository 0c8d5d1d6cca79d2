package dev.glimpse.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.model.ClipConfig;
import dev.glimpse.model.ClipModel;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HF {@code CLIPModel} as our {@link ClipModel}: CLIP vision tower (post-norm on the CLS token), causal
 * pre-LN text tower with {@code final_layer_norm}, bias-free projections, {@code logit_scale}. The
 * text embedding is read at the first {@code eos_token_id}, or at the highest id for the legacy
 * configs whose {@code eos_token_id} is 2.
 */
final class ClipHf implements HfArchitecture {
  @Override
  public String hfType() {
    return "clip";
  }

  @Override
  public String glimpseType() {
    return ClipConfig.TYPE;
  }

  @Override
  public ModelConfig readConfig(JsonObject json, String source) {
    json = mergeLegacyDicts(json);
    HfConfigReader r = new HfConfigReader(json, "", source);
    r.choice("model_type", "clip", "clip");
    HfConfigReader t = r.sub("text_config");
    t.choice("model_type", "clip_text_model", "clip_text_model");
    int vocab = t.integer("vocab_size", 49408);
    int hidden = t.integer("hidden_size", 512);
    int intermediate = t.integer("intermediate_size", 2048);
    int layers = t.integer("num_hidden_layers", 12);
    int heads = t.integer("num_attention_heads", 8);
    int maxPositions = t.integer("max_position_embeddings", 77);
    var act = t.activation("hidden_act", "quick_gelu");
    double eps = t.number("layer_norm_eps", 1e-5);
    int eos = t.integer("eos_token_id", 49407);
    t.ignore("projection_dim", "tie_word_embeddings");
    t.finish();
    HfConfigReader v = r.sub("vision_config");
    v.choice("model_type", "clip_vision_model", "clip_vision_model");
    VisionConfig vision = ClipVisionHf.read(v, ClipVisionHf.Defaults.CLIP);
    int projection = r.integer("projection_dim", 512);
    // logit_scale_init_value only initialises logit_scale, which the weights hold
    r.ignore("logit_scale_init_value", "tie_word_embeddings", "text_config_dict", "vision_config_dict");
    r.finish();
    TransformerConfig text = HfConfigs.stack(t, hidden, layers, heads, heads, intermediate, NormType.LAYER_NORM, eps,
        true, true, act, false, true, true, 0);
    try {
      // transformers: eos_token_id == 2 means the legacy pooling at argmax(input_ids)
      return new ClipConfig(vision, text, vocab, maxPositions, projection, eos, eos == 2);
    } catch (IllegalArgumentException e) {
      throw new dev.glimpse.util.GlimpseException(source + ": " + e.getMessage());
    }
  }

  // Old CLIPConfig files may carry text_config_dict / vision_config_dict, which override text_config.
  private static JsonObject mergeLegacyDicts(JsonObject json) {
    JsonObject out = json;
    for (String part : new String[] {"text", "vision"}) {
      JsonElement dict = json.get(part + "_config_dict");
      if (dict != null && dict.isJsonObject()) {
        out = out == json ? json.deepCopy() : out;
        JsonObject merged = out.has(part + "_config") && out.get(part + "_config").isJsonObject()
            ? out.getAsJsonObject(part + "_config").deepCopy() : new JsonObject();
        for (Map.Entry<String, JsonElement> e : dict.getAsJsonObject().entrySet()) {
          merged.add(e.getKey(), e.getValue());
        }
        out.add(part + "_config", merged);
      }
    }
    return out;
  }

  @Override
  public JsonObject writeConfig(ModelConfig config) {
    ClipConfig c = (ClipConfig) config;
    HfConfigs.Problems problems = new HfConfigs.Problems("CLIPModel");
    JsonObject vision = ClipVisionHf.write(c.vision(), "clip_vision_model", problems);
    TransformerConfig t = c.text();
    problems.require(t.preNorm() && t.finalNorm() && t.norm() == NormType.LAYER_NORM && t.kvHeads() == t.heads()
        && !t.gatedMlp() && t.attentionBias() && t.mlpBias() && t.ropeTheta() == 0,
        "text layers must be CLIP's pre-LN layers with a final LayerNorm");
    problems.require(c.poolAtHighestId() == (c.eosTokenId() == 2),
        "HF CLIP pools at the highest id exactly when eos_token_id is 2");
    problems.check();
    JsonObject text = new JsonObject();
    text.addProperty("model_type", "clip_text_model");
    text.addProperty("vocab_size", c.vocabSize());
    text.addProperty("hidden_size", t.width());
    text.addProperty("intermediate_size", t.mlpHidden());
    text.addProperty("num_hidden_layers", t.layers());
    text.addProperty("num_attention_heads", t.heads());
    text.addProperty("max_position_embeddings", c.maxTextPositions());
    text.addProperty("hidden_act", HfConfigs.activationName(t.activation()));
    text.addProperty("layer_norm_eps", t.normEps());
    text.addProperty("eos_token_id", c.eosTokenId());
    JsonObject o = new JsonObject();
    JsonArray arch = new JsonArray();
    arch.add("CLIPModel");
    o.add("architectures", arch);
    o.addProperty("model_type", "clip");
    o.addProperty("projection_dim", c.projectionDim());
    o.addProperty("torch_dtype", "float32");
    o.add("text_config", text);
    o.add("vision_config", vision);
    return o;
  }

  @Override
  public TensorMap tensors(ModelConfig config) {
    ClipConfig c = (ClipConfig) config;
    TensorMap m = new TensorMap();
    ClipVisionHf.tensors(m, "vision", "vision_model.", c.vision().encoder().layers());
    m.one("visual_projection.weight", "visual_projection.weight");
    m.one("text_embedding.token_embedding", "text_model.embeddings.token_embedding.weight");
    m.one("text_embedding.position_embedding", "text_model.embeddings.position_embedding.weight");
    for (int i = 0; i < c.text().layers(); i++) {
      ClipVisionHf.layer(m, "text.layers." + i, "text_model.encoder.layers." + i);
    }
    m.norm("text.final_norm", "text_model.final_layer_norm", true);
    m.one("text_projection.weight", "text_projection.weight");
    m.reshaped("logit_scale", "logit_scale"); // a scalar in HF
    return m;
  }

  @Override
  public SpecialIds specialIds(JsonObject config) {
    HfConfigReader t = new HfConfigReader(mergeLegacyDicts(config), "", "config.json").sub("text_config");
    return new SpecialIds(t.integer("bos_token_id", 49406), t.integer("eos_token_id", 49407),
        t.integer("pad_token_id", 1));
  }

  @Override
  public void trace(Object model, VerifyInputs in, Set<String> wanted, Map<String, NDArray> out) {
    ClipModel clip = (ClipModel) model;
    List<NDArray> visionStates = new ArrayList<>();
    NDArray imageHidden = clip.imageHidden(in.pixels(), visionStates);
    out.put("vision.last_hidden_state", imageHidden);
    GitHf.putAll(out, "vision.hidden_states.", visionStates);
    NDArray imagePooled = clip.imagePooled(imageHidden);
    out.put("vision.pooler_output", imagePooled);
    NDArray imageFeatures = clip.projectImage(imagePooled);
    out.put("image_features", imageFeatures);
    out.put("image_embeds", ClipModel.normalize(imageFeatures));
    if (in.inputIds() == null) {
      return;
    }
    List<NDArray> textStates = new ArrayList<>();
    NDArray textHidden = clip.textHidden(in.inputIds(), in.attentionMask(), textStates);
    out.put("text.last_hidden_state", textHidden);
    GitHf.putAll(out, "text.hidden_states.", textStates);
    NDArray textPooled = clip.textPooled(in.inputIds(), textHidden);
    out.put("text.pooler_output", textPooled);
    NDArray textFeatures = clip.projectText(textPooled);
    out.put("text_features", textFeatures);
    out.put("text_embeds", ClipModel.normalize(textFeatures));
    NDArray logits = clip.logitsPerImage(imageFeatures, textFeatures);
    out.put("logits_per_image", logits);
    out.put("logits_per_text", logits.transpose());
  }

  @Override
  public Prompting prompting(VerifyInputs in, SpecialIds ids, NDManager manager) {
    return null;
  }
}
