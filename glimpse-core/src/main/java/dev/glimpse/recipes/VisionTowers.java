package dev.glimpse.recipes;

import ai.djl.ndarray.NDManager;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.hf.HfModel;
import dev.glimpse.hf.HfVisionTower;
import dev.glimpse.model.ConnectorConfig;
import dev.glimpse.model.HasVisionTower;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.ModelDesign;
import dev.glimpse.model.Models;
import dev.glimpse.model.VisionTower;
import dev.glimpse.nn.Devices;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pre-trained vision encoder as the tower of a connector model ({@code glimpse train --vision-tower
 * DIR}): the encoder of a Glimpse checkpoint whose design has one ({@link HasVisionTower}: GIT's ViT,
 * CLIP's image tower, a GenLIP model, a connector model's own tower) or of a HuggingFace folder
 * ({@code CLIPVisionModel}, {@code CLIPModel}, LLaVA, BLIP-2, GIT). Its config replaces the recipe's
 * tower, its weights go under {@value #PREFIX}, its image preprocessing becomes the run's.
 */
public final class VisionTowers {
  /** Where a connector model keeps its tower's parameters. */
  public static final String PREFIX = "vision.";

  private VisionTowers() {}

  /**
   * A tower read from a checkpoint.
   *
   * @param weights its parameters, named as under {@value #PREFIX} in a connector model, without it
   */
  public record Pretrained(Path source, VisionTower.Spec spec, ImageTransform transform,
      Map<String, SafeTensors.Tensor> weights) {}

  /** Reads the tower of a checkpoint (its folder or the run folder holding it) or of a HuggingFace folder. */
  public static Pretrained read(Path path) {
    if (!Files.exists(path)) {
      throw new GlimpseException("--vision-tower: not found: " + path);
    }
    if (HfModel.isHfDir(path)) {
      if (HfVisionTower.isVisionTower(path)) {
        HfVisionTower.Loaded loaded = HfVisionTower.read(path);
        return new Pretrained(path, VisionTower.Spec.vit(loaded.config()), loaded.transform(), loaded.weights());
      }
      try (NDManager manager = Devices.cpuManager(); HfModel hf = HfModel.load(path, manager)) {
        VisionTower.Source source = towerOf(hf.config(), path);
        return new Pretrained(path, source.spec(), hf.transform(), under(hf.store().toTensors(), source.prefix()));
      }
    }
    Path dir = Checkpoint.resolve(path);
    CheckpointConfig saved = CheckpointConfig.read(dir);
    VisionTower.Source source = towerOf(saved.model(), path);
    List<SafeTensors.Tensor> tensors = List.copyOf(SafeTensors.read(dir.resolve(Checkpoint.WEIGHTS)).tensors().values());
    return new Pretrained(dir, source.spec(), saved.image(), under(tensors, source.prefix()));
  }

  private static VisionTower.Source towerOf(ModelConfig model, Path path) {
    ModelDesign design = Models.design(model.modelType());
    if (!(design instanceof HasVisionTower owner)) {
      throw new GlimpseException("--vision-tower " + path + " holds a '" + model.modelType() + "' model, which has no "
          + "vision encoder (towers come from git, clip, genlip, llava, blip-2 and flamingo checkpoints, or a "
          + "HuggingFace CLIPVisionModel/CLIPModel folder)");
    }
    return owner.visionTower(model);
  }

  // the tensors under prefix, renamed without it
  private static Map<String, SafeTensors.Tensor> under(Iterable<SafeTensors.Tensor> tensors, String prefix) {
    Map<String, SafeTensors.Tensor> out = new LinkedHashMap<>();
    for (SafeTensors.Tensor t : tensors) {
      if (t.name().startsWith(prefix)) {
        String name = t.name().substring(prefix.length());
        out.put(name, SafeTensors.Tensor.ofFloats(name, t.shape(), t.toFloats()));
      }
    }
    return out;
  }

  /** The recipe's connector model with the pre-trained encoder as its tower. */
  public static ModelConfig withTower(ModelConfig model, Pretrained tower) {
    if (model instanceof ConnectorConfig connector) {
      return connector.withVisionTower(tower.spec());
    }
    throw new GlimpseException("--vision-tower needs a recipe whose model has a vision tower to replace (llava, "
        + "blip-2 or flamingo), got '" + model.modelType() + "'");
  }
}
