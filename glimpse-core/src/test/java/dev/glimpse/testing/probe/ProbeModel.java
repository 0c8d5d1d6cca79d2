package dev.glimpse.testing.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.glimpse.loss.InfoNce;
import dev.glimpse.loss.Temperature;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;

/** The probe: image and text embeddings, a bag-of-words head on the image, a learned temperature. */
public final class ProbeModel {
  final ProbeConfig config;
  private final Parameter imageProjection;  // [3 * S * S, D]
  private final Parameter tokenEmbedding;   // [V, D]
  private final Parameter bagOfWords;       // [D, V]
  final Temperature temperature;

  public ProbeModel(ParameterStore.Scope scope, ProbeConfig config) {
    this.config = config;
    long pixels = 3L * config.imageSize() * config.imageSize();
    imageProjection = scope.weight("image_projection", Init.normal(0.02), pixels, config.dim());
    tokenEmbedding = scope.embedding("token_embedding", Init.normal(0.02), config.vocabSize(), config.dim());
    bagOfWords = scope.weight("bag_of_words", Init.normal(0.02), config.dim(), config.vocabSize());
    temperature = Temperature.learnable(scope.sub("temperature"), 0.07, 0.01);
  }

  /** @param pixels [B, 3, S, S] -> [B, D] */
  NDArray imageFeatures(NDArray pixels) {
    long b = pixels.getShape().get(0);
    return pixels.reshape(b, -1).matMul(imageProjection.array());
  }

  /** @param ids [B, T] int64, weights [B, T] 1 for real tokens -> [B, D] mean token embedding */
  NDArray textFeatures(NDArray ids, NDArray weights) {
    NDArray embedded = Embedding.embedding(ids, tokenEmbedding.array(), SparseFormat.DENSE)
        .singletonOrThrow();                                                                    // [B, T, D]
    NDArray summed = embedded.mul(weights.expandDims(-1)).sum(new int[] {1});                   // [B, D]
    return summed.div(weights.sum(new int[] {1}, true).maximum(1f));
  }

  /** [B, D] image features -> [B, V] bag-of-words logits */
  NDArray bagOfWords(NDArray imageFeatures) {
    return imageFeatures.matMul(bagOfWords.array());
  }

  static NDArray unit(NDArray x) {
    return InfoNce.normalize(x);
  }
}
