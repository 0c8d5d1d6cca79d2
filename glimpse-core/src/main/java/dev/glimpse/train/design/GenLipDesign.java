package dev.glimpse.train.design;

import dev.glimpse.data.PackedBatcher;
import dev.glimpse.model.GenLipConfig;
import dev.glimpse.model.GenLipModel;
import dev.glimpse.model.HasVisionTower;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.VisionTower;
import dev.glimpse.train.PackedLmObjective;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;

/**
 * GenLIP: one transformer over patches and text (prefix-LM). At a fixed resolution it trains as any
 * captioner; at native aspect ratio (stage 2) each image keeps its own patch grid and variable-length
 * sequences are packed into rows ({@link PackedBatcher}, {@link PackedLmObjective}).
 */
public final class GenLipDesign extends CaptionerDesign<GenLipConfig> implements HasVisionTower {
  public GenLipDesign() {
    super(GenLipConfig.TYPE, GenLipConfig.class, GenLipModel::new);
  }

  /** A GenLIP model is its own tower (its visual token outputs; its text embedding comes along, unused). */
  @Override
  public VisionTower.Source visionTower(ModelConfig config) {
    return new VisionTower.Source(VisionTower.Spec.genlip((GenLipConfig) config), "");
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    GenLipModel genlip = (GenLipModel) model;
    GenLipConfig g = genlip.config();
    if (!g.isNative()) {
      return lmTraining(genlip, setup);
    }
    PackedBatcher batcher = new PackedBatcher(lmBatcher(setup), g.patchSize(), g.budgets(), g.textPositionStart(),
        g.rowTokens());
    return new Training<>(batcher, new PackedLmObjective(genlip, setup.train().labelSmoothing()));
  }
}
