package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TextEmbedding;
import dev.glimpse.nn.Transformer;
import java.util.List;

/**
 * CLIP's text tower as a {@link TextEncoder}: token embeddings (or embeddings given in their place)
 * plus learned positions, a causal stack, the final norm; the output is HF's {@code
 * text_model(...).last_hidden_state}, the per-token context Stable Diffusion conditions on. Its
 * parameters are {@code text_embedding.*} and {@code text.*} under the scope it is built in, as in a
 * CLIP checkpoint.
 */
public final class ClipTextTower implements TextEncoder {
  private final ClipTextConfig config;
  private final TextEmbedding embedding;
  private final Transformer text;

  public ClipTextTower(ParameterStore.Scope scope, ClipTextConfig config) {
    this.config = config;
    double std = config.text().initStd();
    this.embedding = new TextEmbedding(scope.sub("text_embedding"), config.vocabSize(), config.width(),
        config.maxPositions(), 0, null, config.text().normEps(), std);
    this.text = new Transformer(scope.sub("text"), config.text());
  }

  /** The parameter-name prefixes of a text tower built in the root scope (a CLIP model's). */
  public static final List<String> PREFIXES = List.of("text_embedding.", "text.");

  public ClipTextConfig config() {
    return config;
  }

  @Override
  public int inputWidth() {
    return config.width();
  }

  @Override
  public int width() {
    return config.width();
  }

  @Override
  public int maxLength() {
    return config.maxPositions();
  }

  @Override
  public NDArray embedTokens(NDArray ids) {
    return embedding.embedTokens(ids);                                            // [B, T, D]
  }

  @Override
  public NDArray encodeEmbeddings(NDArray inputs, NDArray valid) {
    return encodeEmbeddings(inputs, valid, null);
  }

  /**
   * @param hiddenStates if not null, receives the embeddings and each block's output (before the final norm)
   */
  public NDArray encodeEmbeddings(NDArray inputs, NDArray valid, List<NDArray> hiddenStates) {
    int t = (int) inputs.getShape().get(1);
    if (t > config.maxPositions()) {
      throw new IllegalArgumentException("the text encoder takes at most " + config.maxPositions() + " positions, got "
          + t);
    }
    long b = inputs.getShape().get(0);
    NDManager manager = inputs.getManager();
    NDArray positions = manager.arange(0, t, 1, DataType.INT64).reshape(1, t).repeat(0, b);
    NDArray x = embedding.withPositions(inputs, positions);                      // [B, T, D]
    AttentionMask causal = AttentionMask.builder().segment("text", t, true).build();
    NDArray mask = valid == null ? causal.toArray(manager) : causal.toArray(manager, valid); // [B|1, 1, T, T]
    return text.forward(x, mask, null, null, null, hiddenStates);
  }
}
