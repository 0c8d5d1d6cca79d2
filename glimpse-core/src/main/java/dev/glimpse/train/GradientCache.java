package dev.glimpse.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.glimpse.nn.Scalars;
import java.util.ArrayList;
import java.util.List;

/**
 * A contrastive objective over a batch larger than memory allows, by gradient caching (Gao et al.,
 * "Scaling Deep Contrastive Learning Batch Size under Memory Limited Setup", 2021): a contrastive loss
 * couples every example of the batch, but only through the embeddings. So the batch is embedded in
 * chunks without a graph; the loss's gradient with respect to the embeddings is taken once over the
 * whole batch; then each chunk is embedded again with a graph and back-propagates its slice of that
 * gradient. The parameter gradients are those of the plain batch, and the memory held at once is one
 * chunk's graph.
 *
 * <p>A chunk may also carry a loss that is local to its examples (MM-GEM's captioning loss beside
 * its InfoNCE): a sum over the chunk and the count it is averaged over; the objective adds their
 * batch mean to the contrastive loss.
 */
public final class GradientCache<B> implements Objective<B> {
  /** Embeds a slice of the batch (the caller decides whether a graph is recorded). */
  public interface Encoder<B> {
    /** Examples in the batch. */
    int size(B batch);

    /** The embeddings of examples {@code [from, to)} (each {@code [to - from, D]}) and any local loss. */
    Chunk encode(B batch, int from, int to, Step step);
  }

  /**
   * One chunk's output.
   *
   * @param embeddings one or more {@code [n, D]} tensors (e.g. image and text embeddings)
   * @param localSum sum of a loss local to the chunk's examples, or null
   * @param localCount what {@code localSum} is averaged over (tokens, examples)
   * @param localName the local loss's name in logs ({@code loss_lm}), or null
   */
  public record Chunk(NDList embeddings, NDArray localSum, long localCount, String localName) {
    public static Chunk of(NDArray... embeddings) {
      return new Chunk(new NDList(embeddings), null, 0, null);
    }
  }

  /** The loss over the whole batch's embeddings (InfoNCE), with its parts named. */
  @FunctionalInterface
  public interface BatchLoss {
    Loss loss(NDList embeddings, Step step);
  }

  private final Encoder<B> encoder;
  private final BatchLoss batchLoss;
  private final int chunkSize;

  /** @param chunkSize examples embedded at once; 0 (or at least the batch size) runs the plain batch */
  public GradientCache(Encoder<B> encoder, BatchLoss batchLoss, int chunkSize) {
    if (chunkSize < 0) {
      throw new IllegalArgumentException("the gradient-cache chunk must be >= 0, got " + chunkSize);
    }
    this.encoder = encoder;
    this.batchLoss = batchLoss;
    this.chunkSize = chunkSize;
  }

  /** The plain loss: the whole batch embedded at once, with its graph. */
  @Override
  public Loss loss(B batch, Step step) {
    Chunk all = encoder.encode(batch, 0, encoder.size(batch), step);
    return withLocal(batchLoss.loss(all.embeddings(), step), all.localSum(), all.localCount(), all.localName());
  }

  @Override
  public Loss backward(B batch, Step step) {
    int n = encoder.size(batch);
    if (chunkSize == 0 || chunkSize >= n) {
      return Objective.super.backward(batch, step);
    }
    // 1. every chunk's embeddings, without a graph
    List<NDList> pieces = new ArrayList<>();
    double localSum = 0;
    long localCount = 0;
    String localName = null;
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      for (int from = 0; from < n; from += chunkSize) {
        try (NDScope scope = new NDScope()) {
          Chunk c = encoder.encode(batch, from, Math.min(n, from + chunkSize), step);
          for (NDArray e : c.embeddings()) {
            NDScope.unregister(e);
          }
          pieces.add(c.embeddings());
          if (c.localSum() != null) {
            localSum += c.localSum().getFloat();
            localCount += c.localCount();
            localName = c.localName();
          }
        }
      }
    } finally {
      JniUtils.setGradMode(gradMode);
    }
    // 2. the loss over the whole batch and its gradient with respect to the embeddings
    int kinds = pieces.get(0).size();
    NDList full = new NDList();
    for (int k = 0; k < kinds; k++) {
      NDList parts = new NDList();
      for (NDList piece : pieces) {
        parts.add(piece.get(k));
      }
      NDArray joined = NDArrays.concat(parts, 0);                                  // [N, D]
      joined.setRequiresGradient(true);
      full.add(joined);
    }
    pieces.forEach(NDList::close);
    Loss contrastive;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      contrastive = batchLoss.loss(full, step);
      collector.backward(Scalars.div(contrastive.value(), step.microBatches()));
    }
    List<NDArray> gradients = new ArrayList<>();
    for (NDArray e : full) {
      gradients.add(e.getGradient());                                              // [N, D]
    }
    // 3. each chunk again, with its graph, back-propagating its slice of that gradient
    float localScale = localCount == 0 ? 0 : 1f / (localCount * step.microBatches());
    for (int from = 0; from < n; from += chunkSize) {
      int to = Math.min(n, from + chunkSize);
      try (NDScope scope = new NDScope(); GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        Chunk c = encoder.encode(batch, from, to, step);
        NDArray surrogate = null;
        for (int k = 0; k < kinds; k++) {
          NDArray slice = gradients.get(k).get(from + ":" + to);
          NDArray term = c.embeddings().get(k).mul(slice).sum();
          surrogate = surrogate == null ? term : surrogate.add(term);
        }
        if (c.localSum() != null && localScale > 0) {
          surrogate = surrogate.add(Scalars.mul(c.localSum(), localScale));
        }
        collector.backward(surrogate);
      }
    }
    NDArray localMean = localCount == 0 ? null : full.get(0).getManager().create((float) (localSum / localCount));
    return withLocal(contrastive, localMean, localCount == 0 ? 0 : 1, localName);
  }

  // The contrastive loss plus the batch mean of the local loss, each named.
  private static Loss withLocal(Loss contrastive, NDArray localSum, long localCount, String localName) {
    if (localSum == null || localCount == 0) {
      return contrastive;
    }
    NDArray local = Scalars.mul(localSum, 1.0 / localCount); // engine-owned constant (nn/Scalars)
    java.util.Map<String, NDArray> parts = new java.util.LinkedHashMap<>(contrastive.components());
    parts.put(localName == null ? "loss_local" : localName, local);
    return new Loss(contrastive.value().add(local), contrastive.tokens(), parts, contrastive.stats());
  }
}
