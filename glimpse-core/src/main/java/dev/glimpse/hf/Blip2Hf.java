package dev.glimpse.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.connect.QFormerConfig;
import dev.glimpse.model.Blip2Config;
import dev.glimpse.model.LanguageModelConfig;
import dev.glimpse.model.Blip2Model;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HF {@code Blip2ForConditionalGeneration} (transformers 4.45, OPT language model, image tokens in
 * {@code input_ids}) as our {@link Blip2Model}. BLIP-2's vision attention stores q|k|v as one fused
 * {@code qkv} Linear, split into our three on import and fused again on export; class and position
 * embeddings are bare [1, N, D] parameters; OPT's position table has 2 extra rows (offset 2).
 */
final class Blip2Hf implements HfArchitecture {

  @Override
  public String hfType() {
    return "blip-2";
  }

  @Override
  public String glimpseType() {
    return Blip2Config.TYPE;
  }

  @Override
  public ModelConfig readConfig(JsonObject json, String source) {
    HfConfigReader r = new HfConfigReader(json, "", source);
    r.choice("model_type", "blip-2", "blip-2");
    HfConfigReader v = r.sub("vision_config");
    v.choice("model_type", "blip_2_vision_model", "blip_2_vision_model");
    int vHidden = v.integer("hidden_size", 1408);
    int vIntermediate = v.integer("intermediate_size", 6144);
    int vLayers = v.integer("num_hidden_layers", 39);
    int vHeads = v.integer("num_attention_heads", 16);
    int imageSize = v.integer("image_size", 224);
    int patchSize = v.integer("patch_size", 14);
    ActivationType vAct = v.activation("hidden_act", "gelu");
    double vEps = v.number("layer_norm_eps", 1e-6);
    v.requireBool("qkv_bias", true, true, "the vision attention needs its q/v biases (all released BLIP-2 have them)");
    v.requireInt("num_channels", 3, 3, "the BLIP-2 patch embedding reads 3 channels");
    v.ignore("tie_word_embeddings", "projection_dim"); // projection_dim: a leftover in early BLIP-2 configs
    v.finish();
    TransformerConfig vStack = HfConfigs.stack(v, vHidden, vLayers, vHeads, vHeads, vIntermediate, NormType.LAYER_NORM,
        vEps, true, false, vAct, false, true, true, 0);
    VisionConfig vision = HfConfigs.vision(v, imageSize, patchSize, 3, vStack, true, true, false, true);

    HfConfigReader q = r.sub("qformer_config");
    q.choice("model_type", "blip_2_qformer", "blip_2_qformer");
    int qHidden = q.integer("hidden_size", 768);
    int qLayers = q.integer("num_hidden_layers", 12);
    int qHeads = q.integer("num_attention_heads", 12);
    int qIntermediate = q.integer("intermediate_size", 3072);
    ActivationType qAct = q.activation("hidden_act", "gelu");
    double qEps = q.number("layer_norm_eps", 1e-12);
    int every = q.integer("cross_attention_frequency", 2);
    q.choice("position_embedding_type", "absolute", "absolute");
    q.requireBool("use_qformer_text_input", false, false, "the Q-Former text branch is not built");
    // Blip2Config sets encoder_hidden_size to the vision width; vocab and positions feed the absent text branch
    q.ignore("encoder_hidden_size", "vocab_size", "max_position_embeddings", "tie_word_embeddings");
    q.finish();
    TransformerConfig qStack = HfConfigs.stack(q, qHidden, qLayers, qHeads, qHeads, qIntermediate, NormType.LAYER_NORM,
        qEps, false, false, qAct, false, true, true, 0);
    int queries = r.integer("num_query_tokens", 32);

    HfConfigReader t = r.sub("text_config");
    String lmType = t.string("model_type", "opt");
    if (!lmType.equals("opt")) {
      throw t.unsupported("model_type", "'" + lmType + "'", "supported language model: opt");
    }
    LanguageModelConfig lm = CausalLmHf.readOpt(t);
    if (lm.projectsEmbeddings()) {
      // transformers' language_projection gives hidden_size features, which it puts among the embeddings
      throw t.unsupported("word_embed_proj_dim", String.valueOf(lm.embeddingWidth()), "BLIP-2 needs it equal to "
          + "hidden_size " + lm.text().width() + " (its language projection gives hidden_size features)");
    }

    Integer imageToken = r.nullableInteger("image_token_index");
    if (imageToken == null) {
      throw new GlimpseException(source + ": option 'image_token_index' is not set: this is a legacy BLIP-2 config "
          + "(query tokens concatenated before the prompt); set it to the tokenizer's image token id, as current "
          + "Salesforce configs do");
    }
    // image_text_hidden_size belongs to the retrieval heads; the flag is derived from the text model type
    r.ignore("image_text_hidden_size", "use_decoder_only_language_model", "tie_word_embeddings");
    r.finish();
    try {
      QFormerConfig qformer = new QFormerConfig(qStack, queries, every, vHidden);
      return new Blip2Config(vision, qformer, lm.text(), lm.vocabSize(), lm.maxTextPositions(), 2, imageToken,
          lm.tieWordEmbeddings());
    } catch (IllegalArgumentException e) {
      throw new GlimpseException(source + ": " + e.getMessage());
    }
  }

  @Override
  public JsonObject writeConfig(ModelConfig config) {
    Blip2Config c = (Blip2Config) config;
    HfConfigs.requireVitTower(c.genlipVision(), "Blip2ForConditionalGeneration");
    HfConfigs.Problems problems = new HfConfigs.Problems("Blip2ForConditionalGeneration");
    VisionConfig vc = c.vision();
    TransformerConfig v = vc.encoder();
    problems.require(vc.classToken() && vc.patchBias() && !vc.preNorm() && vc.postNorm() && vc.channels() == 3
        && !vc.convStem(), "the vision tower must be BLIP-2's (patch stem, class token, patch bias, post-norm only, 3 channels)");
    problems.require(v.preNorm() && !v.finalNorm() && v.norm() == NormType.LAYER_NORM && v.kvHeads() == v.heads()
        && !v.gatedMlp() && v.attentionBias() && v.mlpBias() && v.ropeTheta() == 0, "vision layers must be pre-LN ViT layers");
    TransformerConfig q = c.qformer().layers();
    problems.require(!q.preNorm() && !q.finalNorm() && q.norm() == NormType.LAYER_NORM && q.kvHeads() == q.heads()
        && !q.gatedMlp() && q.attentionBias() && q.mlpBias(), "Q-Former layers must be post-LN BERT layers");
    TransformerConfig t = c.text();
    problems.require(CausalLmHf.isOpt(t), "text layers must be OPT layers");
    problems.require(c.positionOffset() == 2, "OPT positions have offset 2");
    problems.require(!c.languageModel().projectsEmbeddings(), "the token embedding must be as wide as the text layers "
        + "(transformers' BLIP-2 puts hidden_size features among the embeddings; no project_in/out)");
    problems.check();
    JsonObject vision = new JsonObject();
    vision.addProperty("model_type", "blip_2_vision_model");
    vision.addProperty("hidden_size", v.width());
    vision.addProperty("intermediate_size", v.mlpHidden());
    vision.addProperty("num_hidden_layers", v.layers());
    vision.addProperty("num_attention_heads", v.heads());
    vision.addProperty("image_size", vc.imageSize());
    vision.addProperty("patch_size", vc.patchSize());
    vision.addProperty("hidden_act", HfConfigs.activationName(v.activation()));
    vision.addProperty("layer_norm_eps", v.normEps());
    vision.addProperty("qkv_bias", true);
    JsonObject qformer = new JsonObject();
    qformer.addProperty("model_type", "blip_2_qformer");
    qformer.addProperty("hidden_size", q.width());
    qformer.addProperty("num_hidden_layers", q.layers());
    qformer.addProperty("num_attention_heads", q.heads());
    qformer.addProperty("intermediate_size", q.mlpHidden());
    qformer.addProperty("hidden_act", HfConfigs.activationName(q.activation()));
    qformer.addProperty("layer_norm_eps", q.normEps());
    qformer.addProperty("cross_attention_frequency", c.qformer().crossAttentionEvery());
    qformer.addProperty("encoder_hidden_size", c.qformer().memoryWidth());
    JsonObject text = CausalLmHf.optConfig(c.languageModel());
    JsonObject o = new JsonObject();
    JsonArray arch = new JsonArray();
    arch.add("Blip2ForConditionalGeneration");
    o.add("architectures", arch);
    o.addProperty("model_type", "blip-2");
    o.addProperty("num_query_tokens", c.qformer().numQueries());
    o.addProperty("image_token_index", c.imageTokenId());
    o.addProperty("torch_dtype", "float32");
    o.add("qformer_config", qformer);
    o.add("text_config", text);
    o.add("vision_config", vision);
    return o;
  }

  @Override
  public TensorMap tensors(ModelConfig config) {
    Blip2Config c = (Blip2Config) config;
    HfConfigs.requireVitTower(c.genlipVision(), "Blip2ForConditionalGeneration");
    TensorMap m = new TensorMap();
    VisionConfig vc = c.vision();
    long d = vc.width();
    m.linear("vision.patch_embed", "vision_model.embeddings.patch_embedding", true);
    m.reshaped("vision.class_token", "vision_model.embeddings.class_embedding", 1, 1, d);
    m.reshaped("vision.position_embedding", "vision_model.embeddings.position_embedding", 1, vc.numTokens(), d);
    for (int i = 0; i < vc.encoder().layers(); i++) {
      String o = "vision.encoder.layers." + i;
      String h = "vision_model.encoder.layers." + i;
      m.norm(o + ".attention_norm", h + ".layer_norm1", true);
      m.fused(List.of(o + ".attention.query.weight", o + ".attention.key.weight", o + ".attention.value.weight"),
          h + ".self_attn.qkv.weight");
      m.fused(List.of(o + ".attention.query.bias", o + ".attention.key.bias", o + ".attention.value.bias"),
          h + ".self_attn.qkv.bias");
      m.linear(o + ".attention.output", h + ".self_attn.projection", true);
      m.norm(o + ".mlp_norm", h + ".layer_norm2", true);
      m.linear(o + ".mlp.fc1", h + ".mlp.fc1", true);
      m.linear(o + ".mlp.fc2", h + ".mlp.fc2", true);
    }
    m.norm("vision.post_norm", "vision_model.post_layernorm", true);

    QFormerConfig q = c.qformer();
    m.reshaped("qformer.query_tokens", "query_tokens", 1, q.numQueries(), q.width());
    m.norm("qformer.input_norm", "qformer.layernorm", true);
    for (int i = 0; i < q.layers().layers(); i++) {
      String o = "qformer.encoder.layers." + i;
      String h = "qformer.encoder.layer." + i;
      GitHf.bertLayer(m, o, h, "attention.attention", "intermediate_query", "output_query");
      if (i % q.crossAttentionEvery() == 0) {
        m.linear(o + ".cross_attention.query", h + ".crossattention.attention.query", true);
        m.linear(o + ".cross_attention.key", h + ".crossattention.attention.key", true);
        m.linear(o + ".cross_attention.value", h + ".crossattention.attention.value", true);
        m.linear(o + ".cross_attention.output", h + ".crossattention.output.dense", true);
        m.norm(o + ".cross_attention_norm", h + ".crossattention.output.LayerNorm", true);
      }
    }
    m.linear("language_projection.linear", "language_projection", true);

    CausalLmHf.optTensors(m, "language_model.model.decoder.", "language_model.lm_head", c.languageModel());
    return m;
  }

  @Override
  public SpecialIds specialIds(JsonObject config) {
    HfConfigReader t = new HfConfigReader(config, "", "config.json").sub("text_config");
    return new SpecialIds(t.integer("bos_token_id", 2), t.integer("eos_token_id", 2), t.integer("pad_token_id", 1));
  }

  @Override
  public void trace(Object model, VerifyInputs in, Set<String> wanted, Map<String, NDArray> out) {
    Blip2Model blip = (Blip2Model) model;
    List<NDArray> visionStates = new ArrayList<>();
    NDArray image = blip.visionHidden(in.pixels(), visionStates);
    out.put("vision.last_hidden_state", image);
    GitHf.putAll(out, "vision.hidden_states.", visionStates);
    // HF applies post_layernorm to the whole output, then again to the pooled token
    out.put("vision.pooler_output", blip.vision().postNorm().forward(image.get(":, 0, :")));
    List<NDArray> queryStates = new ArrayList<>();
    NDArray queries = blip.queryOutput(image, queryStates);
    out.put("qformer.last_hidden_state", queries);
    GitHf.putAll(out, "qformer.hidden_states.", queryStates);
    NDArray projected = blip.project(queries);
    out.put("language_projection", projected);
    if (in.inputIds() != null) {
      List<NDArray> states = new ArrayList<>();
      out.put("logits", blip.forwardWithVisual(projected, in.inputIds(), LlavaHf.valid(in), states));
      GitHf.putAll(out, "text.hidden_states.", states);
    }
  }

  /** BLIP-2's generate() runs OPT on embeddings only, so it returns [BOS] + the new tokens. */
  @Override
  public Prompting prompting(VerifyInputs in, SpecialIds ids, NDManager manager) {
    int b = (int) in.inputIds().getShape().get(0);
    long[][] prefix = new long[b][];
    for (int i = 0; i < b; i++) {
      prefix[i] = new long[] {ids.bos()};
    }
    return new Prompting(in.inputIds(), LlavaHf.valid(in), prefix);
  }
}
