package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.loss.Temperature;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Linear;
import dev.glimpse.nn.Norm;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TextEmbedding;
import java.util.ArrayList;
import java.util.List;

/**
 * BLIP-2's Q-Former (Li et al. 2023, section 3.1): a fixed number of learned queries read the image
 * through cross-attention, so any number of image tokens becomes {@code numQueries} tokens; as a
 * connector ({@link #forward}) only the query branch runs.
 *
 * <p>With a text branch ({@link QFormerConfig#hasTextBranch}) the same layers read text too, for the
 * three stage-1 objectives, each with its own self-attention mask over {@code [queries; text]} ({@link
 * #mask}): ITC with the uni-modal mask (queries and text do not see each other; the text's [CLS] output
 * and every query output are compared), ITM with the bidirectional mask (all see all; a linear head on
 * the query outputs says match or not), ITG with the multimodal causal mask (queries see only queries,
 * text sees all queries and the text before it; the text is generated from what the queries took from
 * the image).
 */
public final class QFormer implements Connector {
  /** The three self-attention masks of BLIP-2's first stage (its figure 2). */
  public enum Mode {
    /** ITC: queries see queries, text sees text. */
    UNIMODAL,
    /** ITM: every token sees every token. */
    BIDIRECTIONAL,
    /** ITG: queries see queries; text sees all queries and the text up to itself. */
    MULTIMODAL_CAUSAL
  }

  private final QFormerConfig config;
  private final Parameter queryTokens; // [Q, D]
  private final Norm inputNorm;        // on queries and, with a text branch, on the text embeddings
  private final List<QFormerLayer> layers = new ArrayList<>();
  private final Norm finalNorm;        // pre-LN stacks only
  // The text branch and the stage-1 heads; null without a text branch.
  private final TextEmbedding textEmbedding;
  private final Linear visionProjection;
  private final Linear textProjection;
  private final Linear itmHead;
  private final Linear lmTransform;
  private final Norm lmNorm;
  private final Parameter lmBias;
  private final Temperature temperature;

  public QFormer(ParameterStore.Scope scope, QFormerConfig config) {
    this.config = config;
    int width = config.width();
    double std = config.layers().initStd();
    this.queryTokens = scope.token("query_tokens", Init.normal(std), config.numQueries(), width);
    this.inputNorm = new Norm(scope.sub("input_norm"), config.layers().norm(), width, config.layers().normEps());
    ParameterStore.Scope encoder = scope.sub("encoder");
    for (int i = 0; i < config.layers().layers(); i++) {
      long memory = i % config.crossAttentionEvery() == 0 ? config.memoryWidth() : 0;
      layers.add(new QFormerLayer(encoder.sub("layers", i), config.layers(), memory, config.hasTextBranch()));
    }
    this.finalNorm = config.layers().finalNorm()
        ? new Norm(encoder.sub("final_norm"), config.layers().norm(), width, config.layers().normEps())
        : null;
    if (config.hasTextBranch()) {
      this.textEmbedding = new TextEmbedding(scope.sub("text_embedding"), config.textVocabSize() + 2, width,
          config.maxTextPositions(), 0, null, config.layers().normEps(), std);
      this.visionProjection = new Linear(scope.sub("vision_projection"), width, config.projectionDim(), true, std);
      this.textProjection = new Linear(scope.sub("text_projection"), width, config.projectionDim(), true, std);
      this.itmHead = new Linear(scope.sub("itm_head"), width, 2, true, std);
      // BERT's LM head: dense, GELU, LayerNorm, then the word embeddings (tied) with a bias
      this.lmTransform = new Linear(scope.sub("lm_head.transform"), width, width, true, std);
      this.lmNorm = new Norm(scope.sub("lm_head.norm"), NormType.LAYER_NORM, width, config.layers().normEps());
      this.lmBias = scope.bias("lm_head.bias", config.textVocabSize() + 2);
      this.temperature = Temperature.learnable(scope.sub("itc"), 0.07, 0.01);
    } else {
      this.textEmbedding = null;
      this.visionProjection = null;
      this.textProjection = null;
      this.itmHead = null;
      this.lmTransform = null;
      this.lmNorm = null;
      this.lmBias = null;
      this.temperature = null;
    }
  }

  @Override
  public NDArray forward(NDArray visualTokens) {
    return forward(visualTokens, null);
  }

  /**
   * The query branch: what the language model reads.
   *
   * @param visualTokens image features [B, N, D_vision]
   * @param hiddenStates if not null, receives the normed queries and each layer's output
   * @return [B, Q, D]
   */
  public NDArray forward(NDArray visualTokens, List<NDArray> hiddenStates) {
    long batch = visualTokens.getShape().get(0);
    NDArray x = inputNorm.forward(queryTokens.array().expandDims(0).repeat(0, batch));    // [B, Q, D]
    return run(x, config.numQueries(), null, visualTokens, hiddenStates);
  }

  /**
   * Queries and text in one pass under a stage-1 mask.
   *
   * @param visualTokens image features [B, N, D_vision], one row per text row
   * @param textIds [B, T] int64: the first id is replaced by [CLS] (ITC, ITM) or [DEC] (ITG)
   * @param textValid [B, T] 1 for real tokens
   * @return [B, Q + T, D]: the query outputs, then the text outputs
   */
  public NDArray joint(NDArray visualTokens, NDArray textIds, NDArray textValid, Mode mode) {
    requireTextBranch();
    long batch = visualTokens.getShape().get(0);
    int q = config.numQueries();
    int t = (int) textIds.getShape().get(1);
    NDManager m = textIds.getManager();
    long first = mode == Mode.MULTIMODAL_CAUSAL ? decoderToken() : classToken();
    NDArray ids = m.full(new Shape(batch, 1), first, DataType.INT64).concat(textIds.get(":, 1:"), 1); // [B, T]
    NDArray positions = m.arange(0, t, 1, DataType.INT64).reshape(1, t).repeat(0, batch);
    NDArray queries = queryTokens.array().expandDims(0).repeat(0, batch);                            // [B, Q, D]
    NDArray x = inputNorm.forward(queries.concat(textEmbedding.forward(ids, positions), 1));         // [B, Q+T, D]
    NDArray keyValid = m.ones(new Shape(batch, q)).concat(textValid.toType(DataType.FLOAT32, false), 1);
    NDArray attention = mask(mode, q, t).toArray(m, keyValid);                                       // [B, 1, L, L]
    return run(x, q, attention, visualTokens, null);
  }

  private NDArray run(NDArray x, int queries, NDArray mask, NDArray memory, List<NDArray> hiddenStates) {
    for (QFormerLayer layer : layers) {
      if (hiddenStates != null) {
        hiddenStates.add(x);
      }
      x = layer.forward(x, queries, mask, memory);
    }
    if (hiddenStates != null) {
      hiddenStates.add(x);
    }
    return finalNorm == null ? x : finalNorm.forward(x);
  }

  /** The mask of a stage-1 objective over Q queries then T text tokens. */
  public static AttentionMask mask(Mode mode, int queries, int textTokens) {
    AttentionMask.Builder b = AttentionMask.builder();
    return switch (mode) {
      case UNIMODAL -> b.segment("queries", queries, false).segment("text", textTokens, false).build();
      case BIDIRECTIONAL -> b.segment("queries", queries, false).segment("text", textTokens, false)
          .see("queries", "text").see("text", "queries").build();
      case MULTIMODAL_CAUSAL -> b.segment("queries", queries, false).segment("text", textTokens, true)
          .see("text", "queries").build();
    };
  }

  /** ITC image embeddings, unit length: query outputs [B, Q, D] -> [B, Q, P]. */
  public NDArray imageEmbeddings(NDArray queryOutputs) {
    requireTextBranch();
    return dev.glimpse.loss.InfoNce.normalize(visionProjection.forward(queryOutputs));
  }

  /** ITC text embeddings, unit length: the [CLS] output [B, D] -> [B, P]. */
  public NDArray textEmbeddings(NDArray classOutput) {
    requireTextBranch();
    return dev.glimpse.loss.InfoNce.normalize(textProjection.forward(classOutput));
  }

  /** ITM scores (no match, match), averaged over the queries: query outputs [B, Q, D] -> [B, 2]. */
  public NDArray matchLogits(NDArray queryOutputs) {
    requireTextBranch();
    return itmHead.forward(queryOutputs).mean(new int[] {1});
  }

  /** ITG next-token scores over the text branch's vocabulary: text outputs [B, T, D] -> [B, T, V+2]. */
  public NDArray textLogits(NDArray textOutputs) {
    requireTextBranch();
    NDArray h = lmNorm.forward(ActivationType.GELU.apply(lmTransform.forward(textOutputs)));
    return ai.djl.nn.core.Linear.linear(h, textEmbedding.tokens().array(), lmBias.array()).singletonOrThrow();
  }

  /** The learned ITC temperature. */
  public Temperature temperature() {
    requireTextBranch();
    return temperature;
  }

  /** The id the text branch reads first for ITC and ITM. */
  public long classToken() {
    return config.textVocabSize();
  }

  /** The id the text branch reads first for ITG. */
  public long decoderToken() {
    return config.textVocabSize() + 1;
  }

  private void requireTextBranch() {
    if (textEmbedding == null) {
      throw new IllegalStateException("this Q-Former has no text branch (BLIP-2's first stage needs one)");
    }
  }

  @Override
  public int outputTokens(int inputTokens) {
    return config.numQueries();
  }

  public QFormerConfig config() {
    return config;
  }
}
