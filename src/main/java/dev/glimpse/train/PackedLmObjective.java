package dev.glimpse.train;

import ai.djl.ndarray.NDManager;
import dev.glimpse.data.PackedBatch;
import dev.glimpse.loss.LmLoss;
import dev.glimpse.model.GenLipModel;

/** Language modelling on packed native-resolution batches (GenLIP stage 2). */
public final class PackedLmObjective implements Objective<PackedBatch> {
  private final GenLipModel model;
  private final LmLoss loss;

  public PackedLmObjective(GenLipModel model, double labelSmoothing) {
    this.model = model;
    this.loss = new LmLoss(labelSmoothing);
  }

  @Override
  public Loss loss(PackedBatch batch, NDManager manager) {
    PackedBatch.Tensors t = batch.toTensors(manager);
    return new Loss(loss.forward(model.forwardPacked(batch, t), t.targetIds(), t.lossWeights()), batch.targetTokens());
  }
}
