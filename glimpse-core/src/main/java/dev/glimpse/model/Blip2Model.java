package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.glimpse.connect.LinearProjector;
import dev.glimpse.connect.QFormer;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.KvCache;
import dev.glimpse.nn.LmHead;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TextEmbedding;
import dev.glimpse.nn.Transformer;
import dev.glimpse.nn.VisionTransformer;
import dev.glimpse.util.GlimpseException;
import java.util.List;

/**
 * BLIP-2: ViT -> Q-Former (query tokens cross-attend to the image) -> linear projection -> the query
 * tokens placed at the image-token positions of the prompt -> OPT decoder. A prompt without image
 * tokens gets them in front, as the BLIP-2 processor writes them.
 */
public final class Blip2Model implements CaptioningModel {
  private final Blip2Config config;
  private final VisionTransformer vision; // null with a GenLIP tower
  private final VisionTower tower;
  private final QFormer qformer;
  private final LinearProjector projection;
  private final TextEmbedding textEmbedding;
  private final Transformer text;
  private final LmHead head;

  public Blip2Model(ParameterStore.Scope scope, Blip2Config config) {
    this.config = config;
    double std = config.text().initStd();
    int width = config.text().width();
    if (config.genlipVision() != null) {
      this.vision = null;
      this.tower = VisionTower.genlip(scope.sub("vision"), config.genlipVision());
    } else {
      this.vision = new VisionTransformer(scope.sub("vision"), config.vision());
      this.tower = VisionTower.vit(vision, null, false);
    }
    this.qformer = new QFormer(scope.sub("qformer"), config.qformer());
    this.projection = new LinearProjector(scope.sub("language_projection"), config.qformer().width(), width, false,
        1e-5, std);
    this.textEmbedding = new TextEmbedding(scope.sub("text_embedding"), config.vocabSize(), width,
        config.maxTextPositions(), config.positionOffset(), null, config.text().normEps(), std);
    this.text = new Transformer(scope.sub("text"), config.text());
    this.head = config.tieWordEmbeddings()
        ? LmHead.tied(textEmbedding)
        : LmHead.untied(scope.sub("lm_head"), width, config.vocabSize(), false, std);
  }

  public Blip2Config config() {
    return config;
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  /**
   * Vision tower output with its post-norm (HF {@code vision_model(...).last_hidden_state}; with a
   * GenLIP tower its visual token outputs): [B, N, Dv]. {@code hiddenStates} (nullable) receives the
   * ViT's per-layer states; a GenLIP tower reports none.
   */
  public NDArray visionHidden(NDArray pixels, List<NDArray> hiddenStates) {
    return vision != null ? vision.forward(pixels, hiddenStates) : tower.features(pixels);
  }

  /** Q-Former output [B, Q, Dq]; {@code hiddenStates} (nullable) receives its per-layer states. */
  public NDArray queryOutput(NDArray visionHidden, List<NDArray> hiddenStates) {
    return qformer.forward(visionHidden, hiddenStates);
  }

  /** Query tokens in the language model's space (HF {@code language_projection}): [B, Q, D]. */
  public NDArray project(NDArray queryOutput) {
    return projection.forward(queryOutput);
  }

  /** Visual tokens for the language model from pixels: [B, Q, D]. */
  public NDArray imageFeatures(NDArray pixels) {
    return project(queryOutput(visionHidden(pixels, null), null));
  }

  /**
   * HF's forward over a sequence that already holds the image tokens: logits at every position
   * [B, T, V]. {@code hiddenStates} (nullable) receives OPT's {@code hidden_states} (the last after
   * the final norm).
   */
  public NDArray forwardWithVisual(NDArray visual, NDArray ids, NDArray valid, List<NDArray> hiddenStates) {
    NDArray hidden = decode(visual, ids, valid, null, hiddenStates);
    if (hiddenStates != null) {
      hiddenStates.set(hiddenStates.size() - 1, hidden);
    }
    return head.forward(hidden);
  }

  // [B, T] ids with image tokens -> [B, T, D] after the final norm
  private NDArray decode(NDArray visual, NDArray ids, NDArray valid, KvCache cache, List<NDArray> hiddenStates) {
    // HF replaces the token embeddings, then OPT adds its positions
    NDArray tokens = ImageTokens.scatter(textEmbedding.embedTokens(ids), ids, visual, config.imageTokenId());
    NDArray x = textEmbedding.withPositions(tokens, positions(valid));
    int t = (int) ids.getShape().get(1);
    NDArray mask = AttentionMask.builder().segment("text", t, true).build().toArray(ids.getManager(), valid);
    return text.forward(x, mask, cache, null, null, hiddenStates);
  }

  /**
   * OPT's positions: cumsum(valid) * valid - 1, so real tokens count 0, 1, ... and padding gets -1
   * (index 1 of the table once the offset 2 is added). The image tokens take positions too.
   */
  static NDArray positions(NDArray valid) {
    return ImageTokens.countedPositions(valid, -1);
  }

  /** Training forward: logits predicting each next text token, [B, T, V] for ids [B, T]. */
  @Override
  public NDArray forward(NDArray pixels, NDArray ids, NDArray valid) {
    int t = (int) ids.getShape().get(1);
    ImageTokens.Prompt p = ImageTokens.ensure(ids, valid, config.imageTokenId(), config.imageTokens(), 0);
    NDArray logits = forwardWithVisual(imageFeatures(pixels), p.ids(), p.valid(), null);
    long total = logits.getShape().get(1);
    if (p.ids() == ids) {
      return logits;
    }
    if (!p.insertedInEveryRow()) {
      throw new GlimpseException("training prompts must hold all of their image tokens or none of them");
    }
    return logits.get(":, " + (total - t) + ":, :");
  }

  @Override
  public DecodeState prefill(NDArray pixels, NDArray promptIds, NDArray promptValid, boolean useCache) {
    ImageTokens.Prompt p = ImageTokens.ensure(promptIds, promptValid, config.imageTokenId(), config.imageTokens(), 0);
    NDArray visual = imageFeatures(pixels);
    KvCache cache = useCache ? new KvCache(text.numLayers()) : null;
    NDArray hidden = decode(visual, p.ids(), p.valid(), cache, null);
    DecodeState state = new DecodeState(visual, p.ids(), p.valid(), ImageTokens.lengths(p.valid()), cache);
    state.setLogits(head.forward(ImageTokens.lastReal(hidden, p.valid())));  // [B, V]
    return state;
  }

  @Override
  public void step(DecodeState state, long[] ids, NDManager manager) {
    long[] positions = state.nextPositions();
    state.append(ids);
    if (state.cached()) {
      NDArray x = textEmbedding.forward(manager.create(ids).reshape(-1, 1), manager.create(positions).reshape(-1, 1));
      NDArray mask = state.padded() ? AttentionMask.keyPadding(state.valid(manager)) : null;
      NDArray hidden = text.forward(x, mask, state.cache(), null, null, null);
      state.setLogits(head.forward(hidden.squeeze(1)));                               // [B, V]
      return;
    }
    NDArray hidden = decode(state.visual(), state.tokens(manager), state.valid(manager), null, null);
    state.setLogits(head.forward(hidden.get(":, -1, :")));
  }

  @Override
  public int maxTextLength() {
    return config.maxTextLength();
  }

  /** The ViT tower; null when the tower is a GenLIP encoder (see {@link #tower}). */
  public VisionTransformer vision() {
    return vision;
  }

  public VisionTower tower() {
    return tower;
  }

  public QFormer qformer() {
    return qformer;
  }

  public Transformer text() {
    return text;
  }
}
