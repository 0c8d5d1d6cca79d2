package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.KvCache;
import dev.glimpse.nn.Linear;
import dev.glimpse.nn.LmHead;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TextEmbedding;
import dev.glimpse.nn.Transformer;
import java.util.List;

/**
 * A decoder-only language model ({@link LanguageModelConfig}): the text part of LLaVA, BLIP-2 and
 * Flamingo, and a model of its own. Its parameters are {@code text_embedding.*}, {@code text.*} and
 * (untied) {@code lm_head.*} under the scope it is built in, the same names in a text-only checkpoint
 * and inside every connector model, so a pre-trained language model loads into any of them as it is.
 *
 * <p>A token embedding narrower than the stack (OPT's {@code word_embed_proj_dim}, opt-350m) is
 * bridged as HuggingFace does: {@code text_embedding.project_in} maps embeddings (and the visual tokens
 * a connector puts among them) to the stack's width before positions are added, {@code
 * text.project_out} maps the stack's output back before the head.
 *
 * <p>Positions follow the model family, as HuggingFace computes them: a learned table (OPT) counts the
 * real tokens of each row from the attention mask, padding at -1; rotary positions (LLaMA) are
 * 0..T-1 in a teacher-forced forward and count real tokens when generating, padding at 1.
 */
public final class LanguageModel implements StepModel, ScoresText {
  /** Parameter-name prefixes, under the scope the model is built in: token embedding, stack, untied head. */
  public static final String EMBEDDING = "text_embedding.";
  public static final String STACK = "text.";
  public static final String HEAD = "lm_head.";

  private final LanguageModelConfig config;
  private final TextEmbedding embedding;
  private final Transformer text;
  private final Linear projectIn;  // [E] -> [D], null when E = D
  private final Linear projectOut; // [D] -> [E], null when E = D
  private final LmHead head;

  public LanguageModel(ParameterStore.Scope scope, LanguageModelConfig config) {
    this.config = config;
    double std = config.text().initStd();
    int width = config.text().width();
    int embeddingWidth = config.embeddingWidth();
    this.embedding = new TextEmbedding(scope.sub("text_embedding"), config.vocabSize(), embeddingWidth, width,
        config.positionTableSize(), config.positionOffset(), null, config.text().normEps(), std);
    this.text = new Transformer(scope.sub("text"), config.text());
    boolean projected = config.projectsEmbeddings();
    this.projectIn = projected ? new Linear(scope.sub("text_embedding.project_in"), embeddingWidth, width, false, std)
        : null;
    this.projectOut = projected ? new Linear(scope.sub("text.project_out"), width, embeddingWidth, false, std) : null;
    this.head = config.tieWordEmbeddings()
        ? LmHead.tied(embedding)
        : LmHead.untied(scope.sub("lm_head"), embeddingWidth, config.vocabSize(), false, std);
  }

  public LanguageModelConfig config() {
    return config;
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  /**
   * Token embeddings alone (a connector then puts visual tokens among them): [B, T] -> [B, T, E], E
   * being {@link LanguageModelConfig#embeddingWidth()}.
   */
  public NDArray embedTokens(NDArray ids) {
    return embedding.embedTokens(ids);
  }

  /**
   * The stack over embedded tokens: learned positions are added here, rotary ones go to attention.
   *
   * @param x [B, T, E] token embeddings (visual tokens among them)
   * @param positions [B, T] int64
   * @param mask additive mask [B|1, 1, T, S]
   * @param cache per-layer caches or null
   * @param hiddenStates receives each block's input and the stack's last output, before project_out
   *     (nullable)
   * @param insertion a layer run before each block (Flamingo), or null
   * @return [B, T, E] after the final norm (and project_out)
   */
  public NDArray hidden(NDArray x, NDArray positions, NDArray mask, KvCache cache, List<NDArray> hiddenStates,
      Transformer.Insertion insertion) {
    if (projectIn != null) {
      x = projectIn.forward(x);                                                               // [B, T, D]
    }
    NDArray placed = embedding.withPositions(x, positions);
    NDArray out = insertion == null
        ? text.forward(placed, mask, cache, positions, null, hiddenStates)
        : text.forwardWithInsertion(placed, mask, cache, positions, hiddenStates, insertion);
    return projectOut == null ? out : projectOut.forward(out);                                 // [B, T, E]
  }

  /** Next-token scores: [..., E] -> [..., V]. */
  public NDArray logits(NDArray hidden) {
    return head.forward(hidden);
  }

  /** Positions of a teacher-forced forward: [B, T] int64 (see the class comment). */
  public NDArray sequencePositions(NDArray valid) {
    return config.learnedPositions() ? ImageTokens.countedPositions(valid, padPosition()) : ImageTokens.arange(valid);
  }

  /** Positions of a prompt being generated from: real tokens counted, padding at {@link #padPosition}. */
  public NDArray promptPositions(NDArray valid) {
    return ImageTokens.countedPositions(valid, padPosition());
  }

  /** The position padding takes: -1 for an OPT table (row 1 after the offset), else 1 (HF LLaMA's generate). */
  public long padPosition() {
    return config.learnedPositions() && config.positionOffset() >= 1 ? -1 : 1;
  }

  /** Causal attention with key padding: valid [B, T] -> [B, 1, T, T]. */
  public static NDArray causalMask(NDArray valid) {
    int t = (int) valid.getShape().get(1);
    return AttentionMask.builder().segment("text", t, true).build().toArray(valid.getManager(), valid);
  }

  /** Teacher-forced text: ids [B, T], valid [B, T] -> logits [B, T, V]. */
  public NDArray forward(NDArray ids, NDArray valid) {
    return logits(hidden(embedTokens(ids), sequencePositions(valid), causalMask(valid), null, null, null));
  }

  @Override
  public NDArray textLogits(NDArray ids, NDArray valid) {
    return forward(ids, valid);
  }

  /** Runs a (right-padded) prompt and leaves the first next-token scores in the state. */
  public DecodeState prefill(NDArray ids, NDArray valid, boolean useCache) {
    KvCache cache = useCache ? new KvCache(text.numLayers()) : null;
    NDArray hidden = hidden(embedTokens(ids), promptPositions(valid), causalMask(valid), cache, null, null);
    DecodeState state = new DecodeState(null, ids, valid, ImageTokens.lengths(valid), cache);
    state.setLogits(logits(ImageTokens.lastReal(hidden, valid)));
    return state;
  }

  @Override
  public void step(DecodeState state, long[] ids, NDManager manager) {
    if (state.cached()) {
      stepCached(state, ids, manager);
      return;
    }
    state.append(ids);
    NDArray valid = state.valid(manager);
    NDArray hidden = hidden(embedTokens(state.tokens(manager)), promptPositions(valid), causalMask(valid), null,
        null, null);
    state.setLogits(logits(hidden.get(":, -1, :")));
  }

  /**
   * One cached decoding step of any model whose text is this language model (the visual prefix is in
   * the cache already): the new tokens at their positions, attending to everything cached.
   */
  public void stepCached(DecodeState state, long[] ids, NDManager manager) {
    stepCached(state, ids, manager, null);
  }

  /** As {@link #stepCached(DecodeState, long[], NDManager)}, with a layer run before each block (Flamingo). */
  public void stepCached(DecodeState state, long[] ids, NDManager manager, Transformer.Insertion insertion) {
    long[] positions = state.nextPositions();
    state.append(ids);
    NDArray x = embedTokens(manager.create(ids).reshape(-1, 1));                            // [B, 1, E]
    NDArray mask = state.padded() ? AttentionMask.keyPadding(state.valid(manager)) : null;
    NDArray hidden = hidden(x, manager.create(positions).reshape(-1, 1), mask, state.cache(), null, insertion);
    state.setLogits(logits(hidden.squeeze(1)));                                               // [B, V]
  }

  public int maxTextLength() {
    return config.maxTextPositions();
  }

  public Transformer transformer() {
    return text;
  }

  public TextEmbedding embedding() {
    return embedding;
  }
}
