package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Norm;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.Transformer;
import java.util.List;

/**
 * BLIP-2's Q-Former as a connector (Li et al. 2023, section 3.1): a fixed number of learned queries
 * read the image through cross-attention, so any number of image tokens becomes {@code numQueries}
 * tokens. Only the query branch is built (the text branch is used for BLIP-2's first-stage losses).
 */
public final class QFormer implements Connector {
  private final QFormerConfig config;
  private final Parameter queryTokens; // [Q, D]
  private final Norm inputNorm;
  private final Transformer layers;

  public QFormer(ParameterStore.Scope scope, QFormerConfig config) {
    this.config = config;
    int width = config.width();
    this.queryTokens = scope.token("query_tokens", Init.normal(config.layers().initStd()), config.numQueries(), width);
    this.inputNorm = new Norm(scope.sub("input_norm"), config.layers().norm(), width, config.layers().normEps());
    this.layers = new Transformer(scope.sub("encoder"), config.layers(), config.memoryWidth(),
        config.crossAttentionEvery());
  }

  @Override
  public NDArray forward(NDArray visualTokens) {
    return forward(visualTokens, null);
  }

  /**
   * @param visualTokens image features [B, N, D_vision]
   * @param hiddenStates if not null, receives the normed queries and each layer's output
   * @return [B, Q, D]
   */
  public NDArray forward(NDArray visualTokens, List<NDArray> hiddenStates) {
    long batch = visualTokens.getShape().get(0);
    NDArray queries = queryTokens.array().expandDims(0).repeat(0, batch);  // [B, Q, D]
    return layers.forward(inputNorm.forward(queries), null, null, null, visualTokens, hiddenStates);
  }

  @Override
  public int outputTokens(int inputTokens) {
    return config.numQueries();
  }

  public QFormerConfig config() {
    return config;
  }
}
