package dev.glimpse.train.design;

import dev.glimpse.model.GitConfig;
import dev.glimpse.model.GitModel;
import dev.glimpse.model.HasVisionTower;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.VisionTower;

/**
 * GIT: image encoder + text decoder with the seq2seq mask, trained by language modelling. Its ViT can
 * be the tower of a connector model ({@code --vision-tower}).
 */
public final class GitDesign extends CaptionerDesign<GitConfig> implements HasVisionTower {
  public GitDesign() {
    super(GitConfig.TYPE, GitConfig.class, GitModel::new);
  }

  @Override
  public VisionTower.Source visionTower(ModelConfig config) {
    return new VisionTower.Source(VisionTower.Spec.vit(((GitConfig) config).vision()), "vision.");
  }
}
