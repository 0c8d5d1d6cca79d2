package dev.glimpse.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.tokenize.SpecialTokens;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import dev.glimpse.util.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a model in the HuggingFace layout: {@code config.json}, {@code model.safetensors} (float32,
 * HF names, tied copies left out, {@code {"format": "pt"}} metadata), {@code generation_config.json},
 * {@code preprocessor_config.json} and the tokenizer files. The HF side files read at import are
 * written back unchanged when the model's config is still the one they describe.
 */
final class HfExport {
  private HfExport() {}

  static void write(HfModel m, Path out) {
    HfArchitecture arch = m.architecture();
    JsonObject section = m.section();
    JsonObject config = exportConfig(arch, m.config(), section.has("config") ? section.getAsJsonObject("config") : null);
    SpecialTokens special = m.specialTokens();
    if (!section.has("config")) {
      addSpecialIds(arch.hfType(), config, special);
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new GlimpseException("cannot create " + out + ": " + e.getMessage());
    }
    Json.writeTree(out.resolve(HfModel.CONFIG), config);
    SafeTensors.write(out.resolve(HfModel.WEIGHTS), arch.tensors(m.config()).toHf(m.store()), Map.of("format", "pt"));
    if (section.has("generation_config")) {
      Json.writeTree(out.resolve(HfModel.GENERATION_CONFIG), section.get("generation_config"));
    } else if (!arch.hfType().equals("clip")) {
      JsonObject g = new JsonObject();
      g.addProperty("bos_token_id", special.bos());
      g.addProperty("eos_token_id", special.eos());
      g.addProperty("pad_token_id", special.pad());
      Json.writeTree(out.resolve(HfModel.GENERATION_CONFIG), g);
    }
    if (!arch.glimpseType().equals(dev.glimpse.model.LanguageModelConfig.TYPE)) { // a text model reads no images
      Json.writeTree(out.resolve(HfModel.PREPROCESSOR_CONFIG), section.has("preprocessor_config")
          ? section.get("preprocessor_config") : preprocessor(m.transform()));
    }
    if (m.tokenizer() != null) {
      m.tokenizer().save(out);
      for (String key : new String[] {"tokenizer_config", "special_tokens_map"}) {
        if (section.has(key)) {
          Json.writeTree(out.resolve(key + ".json"), section.get(key));
        }
      }
    }
    if (Files.exists(out.resolve(HfModel.WEIGHTS_INDEX))) {
      AtomicFiles.deleteRecursively(out.resolve(HfModel.WEIGHTS_INDEX)); // a stale index would win over our file
    }
  }

  /**
   * The original config.json when it still describes {@code config}; else the original with our
   * values written over it (keeping its harmless extra keys) if that reads back as {@code config};
   * else a config written from scratch.
   */
  static JsonObject exportConfig(HfArchitecture arch, ModelConfig config, JsonObject original) {
    if (original != null) {
      if (describes(arch, original, config)) {
        return original.deepCopy();
      }
      JsonObject merged = merge(original.deepCopy(), arch.writeConfig(config));
      if (describes(arch, merged, config)) {
        return merged;
      }
    }
    JsonObject fresh = arch.writeConfig(config);
    if (!describes(arch, fresh, config)) {
      throw new IllegalStateException("the " + arch.hfType() + " config written for export does not read back as the "
          + "model's config");
    }
    return fresh;
  }

  private static boolean describes(HfArchitecture arch, JsonObject hfConfig, ModelConfig config) {
    try {
      return arch.readConfig(hfConfig, HfModel.CONFIG).equals(config);
    } catch (GlimpseException e) {
      return false;
    }
  }

  private static JsonObject merge(JsonObject base, JsonObject over) {
    for (Map.Entry<String, JsonElement> e : over.entrySet()) {
      JsonElement current = base.get(e.getKey());
      if (current != null && current.isJsonObject() && e.getValue().isJsonObject()) {
        merge(current.getAsJsonObject(), e.getValue().getAsJsonObject());
      } else {
        base.add(e.getKey(), e.getValue());
      }
    }
    return base;
  }

  // Ids of a Glimpse tokenizer, where each HF config keeps them.
  private static void addSpecialIds(String hfType, JsonObject config, SpecialTokens special) {
    JsonObject target = config.has("text_config") ? config.getAsJsonObject("text_config") : config;
    target.addProperty("bos_token_id", special.bos());
    target.addProperty("eos_token_id", special.eos());
    target.addProperty("pad_token_id", special.pad());
    if (hfType.equals("llava")) {
      config.addProperty("pad_token_id", special.pad());
    }
  }

  /** A CLIP/BLIP image processor config for our transform (resampling 3 = bicubic, as HF ships them). */
  static JsonObject preprocessor(ImageTransform t) {
    JsonObject p = new JsonObject();
    boolean blip = t.resize().equals(ImageTransform.STRETCH);
    p.addProperty("image_processor_type", blip ? "BlipImageProcessor" : "CLIPImageProcessor");
    p.addProperty("do_resize", true);
    p.addProperty("resample", 3);
    p.addProperty("do_rescale", true);
    p.addProperty("rescale_factor", 1 / 255.0);
    p.addProperty("do_normalize", true);
    p.add("image_mean", Json.GSON.toJsonTree(t.mean()));
    p.add("image_std", Json.GSON.toJsonTree(t.std()));
    p.addProperty("do_convert_rgb", true);
    JsonObject hw = new JsonObject();
    hw.addProperty("height", t.height());
    hw.addProperty("width", t.width());
    if (blip) {
      p.add("size", hw);
    } else {
      JsonObject size = new JsonObject();
      size.addProperty("shortest_edge", t.resizeTo() > 0 ? t.resizeTo() : Math.max(t.height(), t.width()));
      p.add("size", size);
      p.addProperty("do_center_crop", true);
      p.add("crop_size", hw);
    }
    return p;
  }
}
