package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.KvCache;
import dev.glimpse.nn.LmHead;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TextEmbedding;
import dev.glimpse.nn.Transformer;
import dev.glimpse.nn.TransformerConfig;

/**
 * A GIT-style language model over a prefix of continuous vectors: one transformer over [prefix ; text]
 * with GIT's mask (the prefix sees itself, text sees the prefix and earlier text), learned text
 * positions, an untied LM head. VLV's caption decoder: the prefix is the projected context of the
 * caption embedding ({@link VlvModel}).
 */
public final class PrefixLm {
  private final TextEmbedding embedding;
  private final Transformer stack;
  private final LmHead head;
  private final int maxPositions;

  public PrefixLm(ParameterStore.Scope scope, TransformerConfig config, int vocabSize, int maxPositions) {
    this.maxPositions = maxPositions;
    double std = config.initStd();
    this.embedding = new TextEmbedding(scope.sub("text_embedding"), vocabSize, config.width(), maxPositions, 0, null,
        config.normEps(), std);
    this.stack = new Transformer(scope.sub("decoder"), config);
    this.head = LmHead.untied(scope.sub("lm_head"), config.width(), vocabSize, false, std);
  }

  public int maxPositions() {
    return maxPositions;
  }

  /**
   * Teacher-forced logits of the text positions.
   *
   * @param prefix [B, N, D]
   * @param ids [B, T] int64 (BOS first)
   * @param valid [B, T] 1 for real tokens
   * @return [B, T, V]
   */
  public NDArray logits(NDArray prefix, NDArray ids, NDArray valid) {
    long n = prefix.getShape().get(1);
    NDArray hidden = decode(prefix, ids, positions(ids), valid, null);
    return head.forward(hidden.get(":, " + n + ":, :"));
  }

  // [B, N, D] prefix + [B, T] ids -> [B, N + T, D] under GIT's mask with key padding
  private NDArray decode(NDArray prefix, NDArray ids, NDArray positions, NDArray valid, KvCache cache) {
    int n = (int) prefix.getShape().get(1);
    int t = (int) ids.getShape().get(1);
    NDManager manager = ids.getManager();
    NDArray keyValid = manager.ones(new Shape(ids.getShape().get(0), n)).concat(valid.toType(DataType.FLOAT32, false), 1);
    NDArray mask = GitModel.seq2seqMask(n, t).toArray(manager).add(AttentionMask.keyPadding(keyValid));
    NDArray sequence = prefix.concat(embedding.forward(ids, positions), 1);       // [B, N + T, D]
    return stack.forward(sequence, mask, cache, null, null, null);
  }

  /** Runs the prefix and the prompt, leaving the first next-token logits in the returned state. */
  public DecodeState prefill(NDArray prefix, NDArray promptIds, NDArray promptValid, boolean useCache) {
    int n = (int) prefix.getShape().get(1);
    long b = promptIds.getShape().get(0);
    KvCache cache = useCache ? new KvCache(stack.numLayers()) : null;
    NDArray hidden = decode(prefix, promptIds, positions(promptIds), promptValid, cache);  // [B, N + T, D]
    long[] lengths = GitModel.lengths(promptValid);
    long[] last = new long[(int) b];
    for (int i = 0; i < b; i++) {
      last[i] = n + lengths[i] - 1;
    }
    DecodeState state = new DecodeState(prefix, promptIds, promptValid, lengths, cache);
    state.setLogits(head.forward(GitModel.lastPositions(hidden, last)));           // [B, V]
    return state;
  }

  /** Appends one token per row and sets the logits of the next. */
  public void step(DecodeState state, long[] ids, NDManager manager) {
    long[] positions = state.nextPositions();
    state.append(ids);
    if (state.cached()) {
      NDArray x = embedding.forward(manager.create(ids).reshape(-1, 1), manager.create(positions).reshape(-1, 1));
      NDArray keyValid = state.keyValid(manager);
      NDArray mask = keyValid == null ? null : AttentionMask.keyPadding(keyValid);
      NDArray hidden = stack.forward(x, mask, state.cache(), null, null, null);  // [B, 1, D]
      state.setLogits(head.forward(hidden.squeeze(1)));
      return;
    }
    NDArray hidden = decode(state.visual(), state.tokens(manager), state.positions(manager), state.valid(manager), null);
    long length = hidden.getShape().get(1);
    state.setLogits(head.forward(hidden.get(":, " + (length - 1) + ", :")));
  }

  private static NDArray positions(NDArray ids) {
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    return ids.getManager().arange(0, t, 1, DataType.INT64).reshape(1, t).repeat(0, b);
  }
}
