package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.glimpse.connect.LinearProjector;
import dev.glimpse.connect.QFormer;
import dev.glimpse.data.ImageViews;
import dev.glimpse.nn.KvCache;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.Transformer;
import dev.glimpse.nn.VisionTransformer;
import dev.glimpse.util.GlimpseException;
import java.util.List;

/**
 * BLIP-2: ViT -> Q-Former (query tokens cross-attend to the image) -> linear projection -> the query
 * tokens placed at the image-token positions of the prompt -> OPT decoder. A prompt without image
 * tokens gets them in front, as the BLIP-2 processor writes them.
 */
public final class Blip2Model implements TakesImageSequences {
  private final Blip2Config config;
  private final VisionTransformer vision; // null with a GenLIP tower
  private final VisionTower tower;
  private final QFormer qformer;
  private final LinearProjector projection;
  private final LanguageModel languageModel;

  public Blip2Model(ParameterStore.Scope scope, Blip2Config config) {
    this.config = config;
    double std = config.text().initStd();
    int width = config.languageModel().embeddingWidth(); // soft prompts sit among the token embeddings
    if (config.genlipVision() != null) {
      this.vision = null;
      this.tower = VisionTower.genlip(scope.sub("vision"), config.genlipVision());
    } else {
      this.vision = new VisionTransformer(scope.sub("vision"), config.vision());
      this.tower = VisionTower.vit(vision, config.visionFeatureLayer(), false);
    }
    this.qformer = new QFormer(scope.sub("qformer"), config.qformer());
    this.projection = new LinearProjector(scope.sub("language_projection"), config.qformer().width(), width, false,
        1e-5, std);
    this.languageModel = new LanguageModel(scope, config.languageModel());
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
    return vision != null && hiddenStates != null ? vision.forward(pixels, hiddenStates) : tower.features(pixels);
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
    NDArray hidden = decode(visual, ids, valid, null, hiddenStates, false);
    if (hiddenStates != null) {
      hiddenStates.set(hiddenStates.size() - 1, hidden);
    }
    return languageModel.logits(hidden);
  }

  // [B, T] ids with image tokens -> [B, T, D] after the final norm. HF replaces the token embeddings,
  // then OPT adds its positions (counted from the mask: padding at -1, row 1 after the offset 2)
  private NDArray decode(NDArray visual, NDArray ids, NDArray valid, KvCache cache, List<NDArray> hiddenStates,
      boolean generating) {
    NDArray tokens = ImageTokens.scatter(languageModel.embedTokens(ids), ids, visual, config.imageTokenId());
    NDArray positions = generating ? languageModel.promptPositions(valid) : languageModel.sequencePositions(valid);
    return languageModel.hidden(tokens, positions, LanguageModel.causalMask(valid), cache, hiddenStates, null);
  }

  /** Training forward: logits predicting each next text token, [B, T, V] for ids [B, T]. */
  @Override
  public NDArray forward(NDArray pixels, NDArray ids, NDArray valid) {
    int t = (int) ids.getShape().get(1);
    ImageTokens.Prompt p = ImageTokens.ensure(ids, valid, config.imageTokenId(), config.imageTokens(), 0,
        ImageTokens.imagesPerRow(pixels));
    NDArray logits = forwardWithVisual(imageFeatures(ImageTokens.images(pixels)), p.ids(), p.valid(), null);
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
  public ImageViews imageViews() {
    return ImageViews.single(config.imageTokens());
  }

  @Override
  public NDArray forwardSequence(ImageSequence images, NDArray ids, NDArray valid) {
    return forwardWithVisual(imageFeatures(images.pixels()), ids, valid, null);
  }

  @Override
  public DecodeState prefill(NDArray pixels, NDArray promptIds, NDArray promptValid, boolean useCache) {
    return prefillSequence(ImageSequence.uniform(pixels), promptIds, promptValid, useCache);
  }

  @Override
  public DecodeState prefillSequence(ImageSequence images, NDArray promptIds, NDArray promptValid, boolean useCache) {
    int[] tokens = new int[images.images()];
    java.util.Arrays.fill(tokens, config.imageTokens());
    int[][] counts = ImageTokens.counts(images.imagesPerRow(), tokens);
    ImageTokens.Prompt p = ImageTokens.ensure(promptIds, promptValid, config.imageTokenId(), counts, 0);
    NDArray visual = imageFeatures(images.pixels());                                     // [R, Q, D]
    visual = visual.reshape(1, -1, visual.getShape().get(2));
    KvCache cache = useCache ? new KvCache(languageModel.transformer().numLayers()) : null;
    NDArray hidden = decode(visual, p.ids(), p.valid(), cache, null, true);
    boolean[][][] layout = new boolean[1][][];
    NDArray rows = ImageTokens.perRow(visual, ImageTokens.rowTotals(counts), null, layout);
    DecodeState state = new DecodeState(rows, p.ids(), p.valid(), ImageTokens.lengths(p.valid()), cache);
    if (layout[0] != null) {
      state.setVisualLayout(layout[0], new long[layout[0].length][layout[0][0].length],
          new long[layout[0].length][layout[0][0].length]);
    }
    state.setLogits(languageModel.logits(ImageTokens.lastReal(hidden, p.valid())));  // [B, V]
    return state;
  }

  @Override
  public void step(DecodeState state, long[] ids, NDManager manager) {
    if (state.cached()) {
      languageModel.stepCached(state, ids, manager);
      return;
    }
    state.append(ids);
    NDArray hidden = decode(ImageTokens.realTokens(state), state.tokens(manager), state.valid(manager), null, null, true);
    state.setLogits(languageModel.logits(hidden.get(":, -1, :")));
  }

  @Override
  public int imageTokenId() {
    return config.imageTokenId();
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
    return languageModel.transformer();
  }

  public LanguageModel languageModel() {
    return languageModel;
  }

  public LinearProjector projection() {
    return projection;
  }
}
