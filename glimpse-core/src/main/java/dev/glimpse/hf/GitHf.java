package dev.glimpse.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.GitModel;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HF {@code GitForCausalLM} as our {@link GitModel}: CLIP vision tower with its post-norm on all
 * tokens (CLS kept), visual projection Linear + LayerNorm, BERT embeddings (LayerNorm 1e-12), post-LN
 * BERT layers with erf GELU over [image ; text], untied {@code output} head with bias, optional
 * per-frame temporal embeddings ({@code img_temperal_embedding}).
 */
final class GitHf implements HfArchitecture {
  @Override
  public String hfType() {
    return "git";
  }

  @Override
  public String glimpseType() {
    return GitConfig.TYPE;
  }

  @Override
  public ModelConfig readConfig(JsonObject json, String source) {
    HfConfigReader r = new HfConfigReader(json, "", source);
    r.choice("model_type", "git", "git");
    HfConfigReader v = r.sub("vision_config");
    v.choice("model_type", "git_vision_model", "git_vision_model", "clip_vision_model");
    VisionConfig vision = ClipVisionHf.read(v, ClipVisionHf.Defaults.GIT);
    int vocab = r.integer("vocab_size", 30522);
    int hidden = r.integer("hidden_size", 768);
    int layers = r.integer("num_hidden_layers", 6);
    int heads = r.integer("num_attention_heads", 12);
    int intermediate = r.integer("intermediate_size", 3072);
    var act = r.activation("hidden_act", "gelu");
    double eps = r.number("layer_norm_eps", 1e-12);
    int maxPositions = r.integer("max_position_embeddings", 1024);
    r.choice("position_embedding_type", "absolute", "absolute");
    r.requireBool("tie_word_embeddings", false, false, "GIT's output head has its own weight and bias");
    Integer frames = r.nullableInteger("num_image_with_embedding");
    r.ignore("classifier_dropout");
    r.finish();
    // HF GIT text layers are post-LN BERT layers without a final norm
    TransformerConfig decoder = HfConfigs.stack(r, hidden, layers, heads, heads, intermediate, NormType.LAYER_NORM, eps,
        false, false, act, false, true, true, 0);
    return new GitConfig(vision, decoder, vocab, maxPositions, true, true, false, true, frames == null ? 0 : frames);
  }

  @Override
  public JsonObject writeConfig(ModelConfig config) {
    GitConfig c = (GitConfig) config;
    HfConfigs.Problems problems = new HfConfigs.Problems("GitForCausalLM");
    JsonObject vision = ClipVisionHf.write(c.vision(), "git_vision_model", problems);
    TransformerConfig d = c.decoder();
    problems.require(!d.preNorm() && !d.finalNorm(), "decoder layers must be post-LN without a final norm");
    problems.require(d.norm() == NormType.LAYER_NORM && d.kvHeads() == d.heads() && !d.gatedMlp() && d.attentionBias()
        && d.mlpBias() && d.ropeTheta() == 0, "decoder layers must be BERT layers (LayerNorm, biases, plain MLP)");
    problems.require(c.textEmbeddingNorm() && c.projectionNorm(), "text embedding and projection need their LayerNorm");
    problems.require(!c.tieWordEmbeddings() && c.headBias(), "the LM head must be untied with a bias");
    problems.check();
    JsonObject o = new JsonObject();
    JsonArray arch = new JsonArray();
    arch.add("GitForCausalLM");
    o.add("architectures", arch);
    o.addProperty("model_type", "git");
    o.addProperty("vocab_size", c.vocabSize());
    o.addProperty("hidden_size", d.width());
    o.addProperty("num_hidden_layers", d.layers());
    o.addProperty("num_attention_heads", d.heads());
    o.addProperty("intermediate_size", d.mlpHidden());
    o.addProperty("hidden_act", HfConfigs.activationName(d.activation()));
    o.addProperty("layer_norm_eps", d.normEps());
    o.addProperty("max_position_embeddings", c.maxTextPositions());
    o.addProperty("position_embedding_type", "absolute");
    o.addProperty("tie_word_embeddings", false);
    if (c.numTemporalEmbeddings() > 0) {
      o.addProperty("num_image_with_embedding", c.numTemporalEmbeddings());
    } else {
      o.add("num_image_with_embedding", com.google.gson.JsonNull.INSTANCE);
    }
    o.addProperty("torch_dtype", "float32");
    o.add("vision_config", vision);
    return o;
  }

  @Override
  public TensorMap tensors(ModelConfig config) {
    GitConfig c = (GitConfig) config;
    TensorMap m = new TensorMap();
    ClipVisionHf.tensors(m, "vision", "git.image_encoder.vision_model.", c.vision().encoder().layers());
    if (c.numTemporalEmbeddings() > 0) {
      List<String> frames = new ArrayList<>();
      for (int f = 0; f < c.numTemporalEmbeddings(); f++) {
        frames.add("git.img_temperal_embedding." + f);
      }
      m.stacked("temporal_embedding", frames, 1, 1, c.vision().width());
    }
    m.linear("visual_projection.linear", "git.visual_projection.visual_projection.0", true);
    m.norm("visual_projection.norm", "git.visual_projection.visual_projection.1", true);
    m.one("text_embedding.token_embedding", "git.embeddings.word_embeddings.weight");
    m.one("text_embedding.position_embedding", "git.embeddings.position_embeddings.weight");
    m.norm("text_embedding.norm", "git.embeddings.LayerNorm", true);
    for (int i = 0; i < c.decoder().layers(); i++) {
      bertLayer(m, "decoder.layers." + i, "git.encoder.layer." + i, "attention.self", "intermediate", "output");
    }
    m.linear("lm_head", "output", true);
    return m;
  }

  /** A post-LN BERT layer's self-attention and feed-forward (GIT text layers, Q-Former layers). */
  static void bertLayer(TensorMap m, String ours, String hf, String self, String intermediate, String output) {
    m.linear(ours + ".attention.query", hf + "." + self + ".query", true);
    m.linear(ours + ".attention.key", hf + "." + self + ".key", true);
    m.linear(ours + ".attention.value", hf + "." + self + ".value", true);
    m.linear(ours + ".attention.output", hf + ".attention.output.dense", true);
    m.norm(ours + ".attention_norm", hf + ".attention.output.LayerNorm", true);
    m.linear(ours + ".mlp.fc1", hf + "." + intermediate + ".dense", true);
    m.linear(ours + ".mlp.fc2", hf + "." + output + ".dense", true);
    m.norm(ours + ".mlp_norm", hf + "." + output + ".LayerNorm", true);
  }

  @Override
  public SpecialIds specialIds(JsonObject config) {
    HfConfigReader r = new HfConfigReader(config, "", "config.json");
    return new SpecialIds(r.integer("bos_token_id", 101), r.integer("eos_token_id", 102), r.integer("pad_token_id", 0));
  }

  @Override
  public void trace(Object model, VerifyInputs in, Set<String> wanted, Map<String, NDArray> out) {
    GitModel git = (GitModel) model;
    NDArray pixels = in.pixels();
    if (pixels.getShape().dimension() == 4) {
      List<NDArray> hidden = new ArrayList<>();
      out.put("vision.last_hidden_state", git.vision().forward(pixels, hidden));
      putAll(out, "vision.hidden_states.", hidden);
    } else {
      long frames = pixels.getShape().get(1);
      for (int f = 0; f < frames; f++) {
        out.put("vision.frame" + f + ".last_hidden_state", git.vision().forward(pixels.get(":, " + f), null));
      }
      out.put("vision.features_with_temporal_embedding", git.visionFeatures(pixels, null));
    }
    out.put("visual_projection", git.encodeVisual(pixels));
    if (in.inputIds() != null) {
      out.put("text.embeddings", git.embedText(in.inputIds()));
      List<NDArray> hidden = new ArrayList<>();
      out.put("logits", git.forwardFull(pixels, in.inputIds(), in.attentionMask(), hidden));
      putAll(out, "decoder.hidden_states.", hidden);
    }
  }

  static void putAll(Map<String, NDArray> out, String prefix, List<NDArray> states) {
    for (int i = 0; i < states.size(); i++) {
      out.put(prefix + i, states.get(i));
    }
  }

  /** GIT's generate() starts from [BOS] alone and returns it with the new tokens. */
  @Override
  public Prompting prompting(VerifyInputs in, SpecialIds ids, NDManager manager) {
    long b = in.pixels().getShape().get(0);
    long[] bos = new long[(int) b];
    long[][] prefix = new long[(int) b][];
    for (int i = 0; i < b; i++) {
      bos[i] = ids.bos();
      prefix[i] = new long[] {ids.bos()};
    }
    return new Prompting(manager.create(bos, new Shape(b, 1)), manager.ones(new Shape(b, 1)), prefix);
  }
}
