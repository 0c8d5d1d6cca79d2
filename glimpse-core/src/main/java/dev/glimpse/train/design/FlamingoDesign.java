package dev.glimpse.train.design;

import dev.glimpse.model.FlamingoConfig;
import dev.glimpse.model.FlamingoModel;
import dev.glimpse.model.HasVisionTower;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.VisionTower;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;

/**
 * Flamingo: a vision tower, a Perceiver Resampler, gated cross-attention layers in a language model,
 * trained by language modelling of interleaved conversations (each image placeholder stays one token
 * that marks where the image is; the text after it reads the image through cross-attention).
 */
public final class FlamingoDesign extends CaptionerDesign<FlamingoConfig> implements HasVisionTower {
  public FlamingoDesign() {
    super(FlamingoConfig.TYPE, FlamingoConfig.class, FlamingoModel::new);
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    return LlavaDesign.conversationTraining((FlamingoModel) model, setup);
  }

  @Override
  public VisionTower.Source visionTower(ModelConfig config) {
    return new VisionTower.Source(((FlamingoConfig) config).tower(), "vision.");
  }
}
