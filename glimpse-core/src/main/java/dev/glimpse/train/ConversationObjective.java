package dev.glimpse.train;

import ai.djl.ndarray.NDArray;
import dev.glimpse.data.ConversationBatch;
import dev.glimpse.data.LmBatch;
import dev.glimpse.loss.LmLoss;
import dev.glimpse.model.ImageSequence;
import dev.glimpse.model.TakesImageSequences;

/**
 * Teacher-forced language modelling of conversations about images (LLaVA's instruction tuning,
 * BLIP-2's and Flamingo's generative training): the loss on the replies only; logged as {@code loss_lm}.
 */
public final class ConversationObjective implements Objective<ConversationBatch> {
  private final TakesImageSequences model;
  private final LmLoss loss;

  public ConversationObjective(TakesImageSequences model, double labelSmoothing) {
    this.model = model;
    this.loss = new LmLoss(labelSmoothing);
  }

  @Override
  public Loss loss(ConversationBatch batch, Step step) {
    LmBatch.Tensors t = batch.toTensors(step.manager());
    NDArray logits = model.forwardSequence(
        new ImageSequence(t.pixels(), batch.imagesPerRow(), batch.layouts()), t.inputIds(), t.valid());
    return Loss.named(LmObjective.NAME, loss.forward(logits, t.targetIds(), t.lossWeights()),
        batch.text().targetTokens());
  }
}
