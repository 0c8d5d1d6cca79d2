package dev.glimpse.train;

import dev.glimpse.data.PackedBatch;
import dev.glimpse.loss.LmLoss;
import dev.glimpse.model.GenLipModel;

/** Language modelling on packed native-resolution batches (GenLIP stage 2); logged as {@code loss_lm}. */
public final class PackedLmObjective implements Objective<PackedBatch> {
  private final GenLipModel model;
  private final LmLoss loss;

  public PackedLmObjective(GenLipModel model, double labelSmoothing) {
    this.model = model;
    this.loss = new LmLoss(labelSmoothing);
  }

  @Override
  public Loss loss(PackedBatch batch, Step step) {
    PackedBatch.Tensors t = batch.toTensors(step.manager());
    return Loss.named(LmObjective.NAME, loss.forward(model.forwardPacked(batch, t), t.targetIds(), t.lossWeights()),
        batch.targetTokens());
  }
}
