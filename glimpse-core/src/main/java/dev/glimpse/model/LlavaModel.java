package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.glimpse.connect.MlpProjector;
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
 * LLaVA: CLIP features from an inner vision layer -> MLP projector -> visual tokens placed at the
 * image-token positions of the prompt -> LLaMA decoder. A prompt without image tokens gets them right
 * after its first token (BOS), so captioning prompts need nothing special.
 */
public final class LlavaModel implements CaptioningModel {
  private final LlavaConfig config;
  private final VisionTransformer vision; // the CLIP tower, null with a GenLIP tower
  private final VisionTower tower;
  private final MlpProjector projector;
  private final TextEmbedding textEmbedding;
  private final Transformer text;
  private final LmHead head;

  public LlavaModel(ParameterStore.Scope scope, LlavaConfig config) {
    this.config = config;
    double std = config.text().initStd();
    int width = config.text().width();
    if (config.genlipVision() != null) {
      this.vision = null;
      this.tower = VisionTower.genlip(scope.sub("vision"), config.genlipVision());
    } else {
      this.vision = new VisionTransformer(scope.sub("vision"), config.vision());
      this.tower = VisionTower.vit(vision, config.visionFeatureLayer(), config.dropClassToken());
    }
    this.projector = new MlpProjector(scope.sub("projector"), tower.width(), width, config.projectorActivation(), std);
    this.textEmbedding = new TextEmbedding(scope.sub("text_embedding"), config.vocabSize(), width, 0, 0, null,
        config.text().normEps(), std);
    this.text = new Transformer(scope.sub("text"), config.text());
    this.head = config.tieWordEmbeddings()
        ? LmHead.tied(textEmbedding)
        : LmHead.untied(scope.sub("lm_head"), width, config.vocabSize(), false, std);
    // Vision blocks after the feature layer and the tower's post-norm never run: freeze them so that
    // training sees no parameter without a gradient (they stay in checkpoints).
    if (vision != null) {
      int used = vision.blocksFor(config.visionFeatureLayer());
      for (int i = used; i < config.vision().encoder().layers(); i++) {
        scope.store().setFrozen(scope.sub("vision.encoder.layers", i).prefix() + ".", true);
      }
      if (config.vision().postNorm()) {
        scope.store().setFrozen(scope.sub("vision.post_norm").prefix() + ".", true);
      }
    }
  }

  public LlavaConfig config() {
    return config;
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  /**
   * The vision features LLaVA selects (HF {@code hidden_states[vision_feature_layer]}, CLS dropped;
   * with a GenLIP tower its visual token outputs): [B, N, Dv].
   */
  public NDArray selectedFeatures(NDArray pixels) {
    return tower.features(pixels);
  }

  /** Visual tokens in the language model's space (HF {@code image_features}): [B, N, D]. */
  public NDArray imageFeatures(NDArray pixels) {
    return projector.forward(selectedFeatures(pixels));
  }

  /** Token embeddings with the visual tokens at the image-token positions: [B, T, D]. */
  public NDArray embed(NDArray ids, NDArray visual) {
    return ImageTokens.scatter(textEmbedding.forward(ids, null), ids, visual, config.imageTokenId());
  }

  /**
   * HF's forward over a sequence that already holds the image tokens: logits at every position
   * [B, T, V]. {@code hiddenStates} (nullable) receives HF's {@code hidden_states} (the last one
   * after the final norm, as LLaMA reports it).
   */
  public NDArray forwardFull(NDArray pixels, NDArray ids, NDArray valid, List<NDArray> hiddenStates) {
    NDArray x = embed(ids, imageFeatures(pixels));
    NDArray hidden = decode(x, ImageTokens.arange(ids), valid, null, hiddenStates);
    if (hiddenStates != null) {
      hiddenStates.set(hiddenStates.size() - 1, hidden);
    }
    return head.forward(hidden);
  }

  // x [B, T, D] -> [B, T, D] after the final norm; causal mask plus key padding
  private NDArray decode(NDArray x, NDArray positions, NDArray valid, KvCache cache, List<NDArray> hiddenStates) {
    int t = (int) x.getShape().get(1);
    NDArray mask = AttentionMask.builder().segment("text", t, true).build().toArray(x.getManager(), valid);
    return text.forward(x, mask, cache, positions, null, hiddenStates);
  }

  /**
   * Training forward: logits predicting each next text token, [B, T, V] for ids [B, T]. Without image
   * tokens in {@code ids} the image goes after the first token and its positions are left out.
   */
  @Override
  public NDArray forward(NDArray pixels, NDArray ids, NDArray valid) {
    int t = (int) ids.getShape().get(1);
    ImageTokens.Prompt p = ImageTokens.ensure(ids, valid, config.imageTokenId(), config.imageTokens(), 1);
    NDArray logits = forwardFull(pixels, p.ids(), p.valid(), null);
    long total = logits.getShape().get(1);
    // with inserted image tokens, the token before text token j+1 is the column total - t + j
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
    ImageTokens.Prompt p = ImageTokens.ensure(promptIds, promptValid, config.imageTokenId(), config.imageTokens(), 1);
    NDArray visual = imageFeatures(pixels);
    KvCache cache = useCache ? new KvCache(text.numLayers()) : null;
    // generate() positions: real tokens counted from 0 in each row, padding at 1 (HF LLaMA's
    // prepare_inputs_for_generation), so left- and right-padded prompts decode alike
    NDArray positions = ImageTokens.countedPositions(p.valid(), 1);
    NDArray hidden = decode(embed(p.ids(), visual), positions, p.valid(), cache, null);
    DecodeState state = new DecodeState(visual, p.ids(), p.valid(), ImageTokens.lengths(p.valid()), cache);
    state.setLogits(head.forward(ImageTokens.lastReal(hidden, p.valid())));  // [B, V]
    return state;
  }

  @Override
  public void step(DecodeState state, long[] ids, NDManager manager) {
    long[] positions = state.nextPositions();
    state.append(ids);
    if (state.cached()) {
      NDArray x = textEmbedding.forward(manager.create(ids).reshape(-1, 1), null);   // [B, 1, D]
      NDArray mask = state.padded() ? AttentionMask.keyPadding(state.valid(manager)) : null;
      NDArray hidden = text.forward(x, mask, state.cache(), manager.create(positions).reshape(-1, 1), null, null);
      state.setLogits(head.forward(hidden.squeeze(1)));                               // [B, V]
      return;
    }
    NDArray tokens = state.tokens(manager);
    NDArray valid = state.valid(manager);
    NDArray hidden = decode(embed(tokens, state.visual()), ImageTokens.countedPositions(valid, 1), valid, null, null);
    state.setLogits(head.forward(hidden.get(":, -1, :")));
  }

  @Override
  public int maxTextLength() {
    return config.maxTextLength();
  }

  /** The CLIP tower; null when the tower is a GenLIP encoder (see {@link #tower}). */
  public VisionTransformer vision() {
    return vision;
  }

  public VisionTower tower() {
    return tower;
  }

  public Transformer text() {
    return text;
  }
}
