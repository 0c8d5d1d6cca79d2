package dev.glimpse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.glimpse.data.LmBatch;
import dev.glimpse.loss.LmLoss;
import dev.glimpse.model.CaptioningModel;

/** Teacher-forced language modelling on text targets (captions, answers) given images. */
public final class LmObjective implements Objective<LmBatch> {
  private final CaptioningModel model;
  private final LmLoss loss;

  public LmObjective(CaptioningModel model, double labelSmoothing) {
    this.model = model;
    this.loss = new LmLoss(labelSmoothing);
  }

  @Override
  public Loss loss(LmBatch batch, NDManager manager) {
    LmBatch.Tensors t = batch.toTensors(manager);
    NDArray logits = batch.packed()
        ? model.forwardPacked(t.pixels(), t.inputIds(), t.positions(), t.textMask())
        : model.forward(t.pixels(), t.inputIds(), t.valid());
    return new Loss(loss.forward(logits, t.targetIds(), t.lossWeights()), batch.targetTokens());
  }
}
