package dev.glimpse.model;

import dev.glimpse.nn.ParameterStore;

/** CLIP: image and text towers embedding into one space (loaded from HuggingFace; not a captioner). */
public final class ClipDesign implements ModelDesign, HasVisionTower {
  @Override
  public String type() {
    return ClipConfig.TYPE;
  }

  @Override
  public Class<ClipConfig> configClass() {
    return ClipConfig.class;
  }

  @Override
  public ClipModel build(ParameterStore.Scope scope, ModelConfig config) {
    return new ClipModel(scope, (ClipConfig) config);
  }

  /** CLIP's image tower, as LLaVA and BLIP-2 read it. */
  @Override
  public VisionTower.Source visionTower(ModelConfig config) {
    return new VisionTower.Source(VisionTower.Spec.vit(((ClipConfig) config).vision()), "vision.");
  }
}
