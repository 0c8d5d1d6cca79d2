package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.hf.HfModel;
import dev.glimpse.model.Blip2Config;
import dev.glimpse.model.GenLipConfig;
import dev.glimpse.model.LlavaConfig;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.Models;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Path;
import java.util.Map;

/**
 * A pre-trained GenLIP checkpoint as the vision tower of a LLaVA or BLIP-2 model ({@code glimpse
 * train --vision-tower DIR}): GenLIP's purpose in its paper, a vision encoder pre-trained with
 * language modelling for multimodal LLMs. The checkpoint's encoder config replaces the recipe's
 * tower, its weights go under {@value #PREFIX}, its image preprocessing becomes the run's.
 */
public final class VisionTowers {
  /** Where a connector model keeps its tower's parameters. */
  public static final String PREFIX = "vision.";

  private VisionTowers() {}

  /** A GenLIP checkpoint read for use as a tower. */
  public record Pretrained(Path source, GenLipConfig config, ImageTransform transform,
      Map<String, SafeTensors.Tensor> weights) {}

  /** Reads a GenLIP checkpoint (its folder or the run folder holding it). */
  public static Pretrained read(Path path) {
    Path dir = Checkpoint.resolve(path);
    if (HfModel.isHfDir(dir)) {
      throw new GlimpseException("--vision-tower " + path + ": a HuggingFace folder; a vision tower must be a GenLIP "
          + "checkpoint written by 'glimpse train'");
    }
    JsonObject cfg = Checkpoint.readConfig(dir);
    String where = dir.resolve(Checkpoint.CONFIG).toString();
    if (!cfg.has("model_type") || !cfg.has("model")) {
      throw new GlimpseException(where + " has no model_type/model: not a Glimpse checkpoint");
    }
    String type = cfg.get("model_type").getAsString();
    if (!type.equals(GenLipConfig.TYPE)) {
      throw new GlimpseException("--vision-tower " + path + " holds a '" + type + "' model; a vision tower must be a "
          + "GenLIP checkpoint (model type '" + GenLipConfig.TYPE + "')");
    }
    GenLipConfig config = (GenLipConfig) Models.parse(type, cfg.get("model"), where);
    ImageTransform transform = cfg.has("image")
        ? LoadedModel.parseTransform(cfg.getAsJsonObject("image"), where)
        : ImageTransform.square(config.imageSize());
    return new Pretrained(dir, config, transform, SafeTensors.read(dir.resolve(Checkpoint.WEIGHTS)).tensors());
  }

  /** The recipe's connector model with the pre-trained encoder as its tower. */
  public static ModelConfig withTower(ModelConfig model, Pretrained tower) {
    if (model instanceof LlavaConfig llava) {
      return llava.withGenLipVision(tower.config());
    }
    if (model instanceof Blip2Config blip) {
      return blip.withGenLipVision(tower.config());
    }
    throw new GlimpseException("--vision-tower needs a recipe whose model has a vision tower to replace (llava or "
        + "blip-2), got '" + model.modelType() + "'");
  }
}
