package dev.glimpse.model;

/**
 * A design whose models hold a vision encoder that other designs can start from ({@code glimpse train
 * --vision-tower DIR}): GIT's ViT, CLIP's image tower, a GenLIP model, a connector model's own tower.
 * Implemented by the design ({@link ModelDesign}); a new design with an encoder adds this and nothing
 * else for its checkpoints to serve as towers.
 */
public interface HasVisionTower {
  /** The encoder of a model of this design: what it is and where its parameters are. */
  VisionTower.Source visionTower(ModelConfig config);
}
