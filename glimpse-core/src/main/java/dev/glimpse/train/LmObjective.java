package dev.glimpse.train;

import ai.djl.ndarray.NDArray;
import dev.glimpse.data.LmBatch;
import dev.glimpse.loss.LmLoss;
import dev.glimpse.model.CaptioningModel;

/** Teacher-forced language modelling on text targets (captions, answers) given images; logged as {@code loss_lm}. */
public final class LmObjective implements Objective<LmBatch> {
  /** The name of the LM loss in logs. */
  public static final String NAME = "loss_lm";

  private final CaptioningModel model;
  private final LmLoss loss;

  public LmObjective(CaptioningModel model, double labelSmoothing) {
    this.model = model;
    this.loss = new LmLoss(labelSmoothing);
  }

  @Override
  public Loss loss(LmBatch batch, Step step) {
    LmBatch.Tensors t = batch.toTensors(step.manager());
    NDArray logits = batch.packed()
        ? model.forwardPacked(t.pixels(), t.inputIds(), t.positions(), t.textMask())
        : model.forward(t.pixels(), t.inputIds(), t.valid());
    return Loss.named(NAME, loss.forward(logits, t.targetIds(), t.lossWeights()), batch.targetTokens());
  }
}
