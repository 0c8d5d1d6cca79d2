package dev.glimpse.recipes;

import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.hf.HfModel;
import dev.glimpse.model.GenLipConfig;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.TakesVisionTower;
import dev.glimpse.train.Checkpoint;
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
    CheckpointConfig saved = CheckpointConfig.read(dir);
    if (!(saved.model() instanceof GenLipConfig config)) {
      throw new GlimpseException("--vision-tower " + path + " holds a '" + saved.modelType() + "' model; a vision "
          + "tower must be a GenLIP checkpoint (model type '" + GenLipConfig.TYPE + "')");
    }
    return new Pretrained(dir, config, saved.image(), SafeTensors.read(dir.resolve(Checkpoint.WEIGHTS)).tensors());
  }

  /** The recipe's connector model with the pre-trained encoder as its tower. */
  public static ModelConfig withTower(ModelConfig model, Pretrained tower) {
    if (model instanceof TakesVisionTower connector) {
      return connector.withGenLipVision(tower.config());
    }
    throw new GlimpseException("--vision-tower needs a recipe whose model has a vision tower to replace (llava or "
        + "blip-2), got '" + model.modelType() + "'");
  }
}
