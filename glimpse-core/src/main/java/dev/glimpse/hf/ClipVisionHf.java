package dev.glimpse.hf;

import com.google.gson.JsonObject;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;

/**
 * The CLIP vision tower as GIT, CLIP and LLaVA use it: Conv2d patches without bias, CLS token,
 * learned positions, {@code pre_layrnorm}, pre-LN layers (quick-GELU by default), {@code post_layernorm}.
 * Config and tensor names in one place for the three architectures.
 */
final class ClipVisionHf {
  private ClipVisionHf() {}

  /** Class defaults of the config class that holds the tower. */
  record Defaults(int hidden, int intermediate, int layers, int heads, int imageSize, int patchSize) {
    static final Defaults GIT = new Defaults(768, 3072, 12, 12, 224, 16);
    static final Defaults CLIP = new Defaults(768, 3072, 12, 12, 224, 32);
    /** LlavaConfig's default tower (CLIP ViT-L/14 at 336 px). */
    static final Defaults LLAVA = new Defaults(1024, 4096, 24, 16, 336, 14);
  }

  static VisionConfig read(HfConfigReader r, Defaults d) {
    int hidden = r.integer("hidden_size", d.hidden());
    int intermediate = r.integer("intermediate_size", d.intermediate());
    int layers = r.integer("num_hidden_layers", d.layers());
    int heads = r.integer("num_attention_heads", d.heads());
    int channels = r.integer("num_channels", 3);
    int imageSize = r.integer("image_size", d.imageSize());
    int patchSize = r.integer("patch_size", d.patchSize());
    ActivationType act = r.activation("hidden_act", "quick_gelu");
    double eps = r.number("layer_norm_eps", 1e-5);
    // projection_dim belongs to CLIPVisionModelWithProjection; vocab_size is a leftover in old LLaVA configs
    r.ignore("projection_dim", "vocab_size", "tie_word_embeddings");
    r.finish();
    TransformerConfig encoder = HfConfigs.stack(r, hidden, layers, heads, heads, intermediate, NormType.LAYER_NORM, eps,
        true, false, act, false, true, true, 0);
    return HfConfigs.vision(r, imageSize, patchSize, channels, encoder, true, false, true, true);
  }

  static JsonObject write(VisionConfig v, String modelType, HfConfigs.Problems problems) {
    TransformerConfig e = v.encoder();
    problems.require(!v.convStem(), "the vision tower must use the patch stem (HuggingFace has no conv stem)");
    problems.require(v.classToken(), "the vision tower needs a class token");
    problems.require(!v.patchBias(), "the patch embedding must have no bias");
    problems.require(v.preNorm() && v.postNorm(), "the vision tower needs a pre-norm and a post-norm");
    problems.require(e.preNorm() && !e.finalNorm(), "vision layers must be pre-LN without a final norm");
    problems.require(e.norm() == NormType.LAYER_NORM, "vision norms must be LayerNorm");
    problems.require(e.kvHeads() == e.heads() && !e.gatedMlp() && e.attentionBias() && e.mlpBias() && e.ropeTheta() == 0,
        "vision layers must be plain multi-head attention with biases and an ungated MLP");
    JsonObject o = new JsonObject();
    o.addProperty("hidden_size", e.width());
    o.addProperty("intermediate_size", e.mlpHidden());
    o.addProperty("num_hidden_layers", e.layers());
    o.addProperty("num_attention_heads", e.heads());
    o.addProperty("num_channels", v.channels());
    o.addProperty("image_size", v.imageSize());
    o.addProperty("patch_size", v.patchSize());
    o.addProperty("hidden_act", HfConfigs.activationName(e.activation()));
    o.addProperty("layer_norm_eps", e.normEps());
    o.addProperty("model_type", modelType);
    return o;
  }

  static void tensors(TensorMap m, String ours, String hf, int layers) {
    m.one(ours + ".patch_embed.weight", hf + "embeddings.patch_embedding.weight");
    m.one(ours + ".class_token", hf + "embeddings.class_embedding");
    m.one(ours + ".position_embedding", hf + "embeddings.position_embedding.weight");
    m.norm(ours + ".pre_norm", hf + "pre_layrnorm", true);
    for (int i = 0; i < layers; i++) {
      layer(m, ours + ".encoder.layers." + i, hf + "encoder.layers." + i);
    }
    m.norm(ours + ".post_norm", hf + "post_layernorm", true);
  }

  /** A CLIP encoder layer (vision or text tower). */
  static void layer(TensorMap m, String o, String h) {
    m.norm(o + ".attention_norm", h + ".layer_norm1", true);
    m.linear(o + ".attention.query", h + ".self_attn.q_proj", true);
    m.linear(o + ".attention.key", h + ".self_attn.k_proj", true);
    m.linear(o + ".attention.value", h + ".self_attn.v_proj", true);
    m.linear(o + ".attention.output", h + ".self_attn.out_proj", true);
    m.norm(o + ".mlp_norm", h + ".layer_norm2", true);
    m.linear(o + ".mlp.fc1", h + ".mlp.fc1", true);
    m.linear(o + ".mlp.fc2", h + ".mlp.fc2", true);
  }
}
