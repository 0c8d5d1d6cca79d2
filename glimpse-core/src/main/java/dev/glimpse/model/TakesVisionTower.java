package dev.glimpse.model;

/**
 * A connector design whose vision tower can be a pre-trained GenLIP encoder ({@code glimpse train
 * --vision-tower DIR}): the encoder's config replaces the design's own tower, and its weights go
 * under {@code vision.}.
 */
public interface TakesVisionTower extends ModelConfig {
  /** The same model with {@code tower} as its vision encoder. */
  ModelConfig withGenLipVision(GenLipConfig tower);
}
