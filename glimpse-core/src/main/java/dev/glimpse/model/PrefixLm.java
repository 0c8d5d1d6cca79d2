package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.KvCache;
import dev.glimpse.nn.ParameterStore;

/**
 * A decoder-only language model ({@link LanguageModel}, the {@code lm} design) reading a prefix of
 * continuous vectors before its text: one causal sequence {@code [prefix ; text]}, as a pre-trained LM
 * reads a soft prompt. Positions run over the whole sequence (prefix 0..N-1, then the text), padding
 * is masked as keys. VLV's caption decoder: the prefix is the projected context of the caption
 * embedding ({@link VlvModel}). The parameters are the language model's own names under the scope it
 * is built in, so a language-model checkpoint loads into it as it is.
 */
public final class PrefixLm {
  private final LanguageModel lm;

  public PrefixLm(ParameterStore.Scope scope, LanguageModelConfig config) {
    this.lm = new LanguageModel(scope, config);
  }

  public LanguageModel languageModel() {
    return lm;
  }

  /**
   * Teacher-forced logits of the text positions (the prefix carries no prediction).
   *
   * @param prefix [B, N, D]
   * @param ids [B, T] int64 (BOS first)
   * @param valid [B, T] 1 for real tokens
   * @return [B, T, V]
   */
  public NDArray logits(NDArray prefix, NDArray ids, NDArray valid) {
    long n = prefix.getShape().get(1);
    NDArray all = withPrefix(prefix, valid);                                              // [B, N + T]
    NDArray x = prefix.concat(lm.embedTokens(ids), 1);                                   // [B, N + T, D]
    NDArray hidden = lm.hidden(x, lm.sequencePositions(all), LanguageModel.causalMask(all), null, null, null);
    return lm.logits(hidden.get(":, " + n + ":, :"));
  }

  /** Runs the prefix and the (right-padded) prompt, leaving the first next-token logits in the state. */
  public DecodeState prefill(NDArray prefix, NDArray promptIds, NDArray promptValid, boolean useCache) {
    long n = prefix.getShape().get(1);
    NDArray all = withPrefix(prefix, promptValid);
    KvCache cache = useCache ? new KvCache(lm.transformer().numLayers()) : null;
    NDArray x = prefix.concat(lm.embedTokens(promptIds), 1);
    NDArray hidden = lm.hidden(x, lm.promptPositions(all), LanguageModel.causalMask(all), cache, null, null);
    long[] next = ImageTokens.lengths(promptValid);                                      // real prompt tokens
    for (int i = 0; i < next.length; i++) {
      next[i] += n;                                                                       // after the prefix
    }
    DecodeState state = new DecodeState(prefix, promptIds, promptValid, next, cache);
    state.setLogits(lm.logits(ImageTokens.lastReal(hidden, all)));                      // [B, V]
    return state;
  }

  /** Appends one token per row and sets the logits of the next. */
  public void step(DecodeState state, long[] ids, NDManager manager) {
    if (state.cached()) {
      long[] positions = state.nextPositions();
      state.append(ids);
      NDArray x = lm.embedTokens(manager.create(ids).reshape(-1, 1));                    // [B, 1, D]
      NDArray keyValid = state.keyValid(manager);                                        // prefix included
      NDArray mask = keyValid == null ? null : AttentionMask.keyPadding(keyValid);
      NDArray hidden = lm.hidden(x, manager.create(positions).reshape(-1, 1), mask, state.cache(), null, null);
      state.setLogits(lm.logits(hidden.squeeze(1)));
      return;
    }
    state.append(ids);
    NDArray valid = state.valid(manager);
    NDArray all = withPrefix(state.visual(), valid);
    NDArray x = state.visual().concat(lm.embedTokens(state.tokens(manager)), 1);
    NDArray hidden = lm.hidden(x, lm.promptPositions(all), LanguageModel.causalMask(all), null, null, null);
    state.setLogits(lm.logits(hidden.get(":, -1, :")));
  }

  // [B, N] ones before the text's validity: [B, N + T] float32
  private static NDArray withPrefix(NDArray prefix, NDArray valid) {
    NDManager manager = valid.getManager();
    Shape shape = new Shape(valid.getShape().get(0), prefix.getShape().get(1));
    return manager.ones(shape).concat(valid.toType(DataType.FLOAT32, false), 1);
  }
}
