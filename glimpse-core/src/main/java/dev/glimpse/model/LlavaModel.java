package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.glimpse.connect.AnyRes;
import dev.glimpse.connect.MlpProjector;
import dev.glimpse.data.ImageViews;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.KvCache;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.Transformer;
import dev.glimpse.nn.VisionTransformer;
import dev.glimpse.util.GlimpseException;
import java.util.List;

/**
 * LLaVA: CLIP features from an inner vision layer -> MLP projector -> visual tokens placed at the
 * image-token positions of the prompt -> LLaMA decoder. A prompt without image tokens gets them right
 * after its first token (BOS), so captioning prompts need nothing special.
 */
public final class LlavaModel implements TakesImageSequences {
  private final LlavaConfig config;
  private final VisionTransformer vision; // the CLIP tower, null with a GenLIP tower
  private final VisionTower tower;
  private final MlpProjector projector;
  private final LanguageModel languageModel;
  private final Parameter imageNewline; // [D], AnyRes only: ends each row of an image's tile map

  public LlavaModel(ParameterStore.Scope scope, LlavaConfig config) {
    this.config = config;
    double std = config.text().initStd();
    int width = config.languageModel().embeddingWidth(); // visual tokens sit among the token embeddings
    if (config.genlipVision() != null) {
      this.vision = null;
      this.tower = VisionTower.genlip(scope.sub("vision"), config.genlipVision());
    } else {
      this.vision = new VisionTransformer(scope.sub("vision"), config.vision());
      this.tower = VisionTower.vit(vision, config.visionFeatureLayer(), config.dropClassToken());
    }
    this.projector = new MlpProjector(scope.sub("projector"), tower.width(), width, config.projectorActivation(), std);
    this.languageModel = new LanguageModel(scope, config.languageModel());
    this.imageNewline = config.imageGridPinpoints() == null ? null
        : scope.token("image_newline", Init.normal(1.0 / Math.sqrt(width)), width);
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
    return ImageTokens.scatter(languageModel.embedTokens(ids), ids, visual, config.imageTokenId());
  }

  /**
   * HF's forward over a sequence that already holds the image tokens: logits at every position
   * [B, T, V]. {@code hiddenStates} (nullable) receives HF's {@code hidden_states} (the last one
   * after the final norm, as LLaMA reports it).
   */
  public NDArray forwardFull(NDArray pixels, NDArray ids, NDArray valid, List<NDArray> hiddenStates) {
    NDArray x = embed(ids, imageFeatures(ImageTokens.images(pixels)));
    NDArray hidden = decode(x, languageModel.sequencePositions(valid), valid, null, hiddenStates);
    if (hiddenStates != null) {
      hiddenStates.set(hiddenStates.size() - 1, hidden);
    }
    return languageModel.logits(hidden);
  }

  // x [B, T, D] -> [B, T, D] after the final norm; causal mask plus key padding
  private NDArray decode(NDArray x, NDArray positions, NDArray valid, KvCache cache, List<NDArray> hiddenStates) {
    return languageModel.hidden(x, positions, LanguageModel.causalMask(valid), cache, hiddenStates, null);
  }

  /**
   * Training forward: logits predicting each next text token, [B, T, V] for ids [B, T]. Without image
   * tokens in {@code ids} the image goes after the first token and its positions are left out.
   */
  @Override
  public NDArray forward(NDArray pixels, NDArray ids, NDArray valid) {
    int t = (int) ids.getShape().get(1);
    ImageTokens.Prompt p = ImageTokens.ensure(ids, valid, config.imageTokenId(), config.imageTokens(), 1,
        ImageTokens.imagesPerRow(pixels));
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
  public ImageViews imageViews() {
    return config.imageGridPinpoints() == null ? ImageViews.single(config.imageTokens())
        : ImageViews.anyRes(config.imageGridPinpoints(), config.tower().gridSize());
  }

  /**
   * The visual tokens of a sequence's images, in order: each one-view image's projected features; an
   * AnyRes image's base view, then its tiles' map with a newline at each row end ({@link AnyRes#pack}).
   *
   * @return [1, total tokens, D]
   */
  public NDArray visualTokens(ImageSequence images) {
    NDArray features = imageFeatures(images.pixels());                                     // [V, N, D]
    long d = features.getShape().get(2);
    boolean tiled = java.util.Arrays.stream(images.layouts()).anyMatch(java.util.Objects::nonNull);
    if (!tiled) {
      return features.reshape(1, -1, d);
    }
    NDList parts = new NDList();
    int view = 0;
    for (int i = 0; i < images.images(); i++) {
      AnyRes.Layout layout = images.layouts()[i];
      if (layout == null) {
        parts.add(features.get(view));                                                    // [N, D]
      } else {
        NDArray tiles = features.get((view + 1) + ":" + (view + 1 + layout.grid().tiles()));
        parts.add(AnyRes.pack(features.get(view), tiles, layout, imageNewline.array()));
      }
      view += images.views(i);
    }
    return NDArrays.concat(parts, 0).expandDims(0);
  }

  // each image's tokens in the text, per row
  private int[][] tokenCounts(ImageSequence images) {
    int[] tokens = new int[images.images()];
    for (int i = 0; i < tokens.length; i++) {
      AnyRes.Layout layout = images.layouts()[i];
      tokens[i] = layout == null ? config.imageTokens() : layout.tokens();
    }
    return ImageTokens.counts(images.imagesPerRow(), tokens);
  }

  @Override
  public NDArray forwardSequence(ImageSequence images, NDArray ids, NDArray valid) {
    NDArray hidden = decode(embed(ids, visualTokens(images)), languageModel.sequencePositions(valid), valid, null, null);
    return languageModel.logits(hidden);
  }

  @Override
  public DecodeState prefillSequence(ImageSequence images, NDArray promptIds, NDArray promptValid, boolean useCache) {
    int[][] counts = tokenCounts(images);
    ImageTokens.Prompt p = ImageTokens.ensure(promptIds, promptValid, config.imageTokenId(), counts, 1);
    NDArray visual = visualTokens(images);                                              // [1, total, D]
    KvCache cache = useCache ? new KvCache(languageModel.transformer().numLayers()) : null;
    NDArray hidden = decode(embed(p.ids(), visual), languageModel.promptPositions(p.valid()), p.valid(), cache, null);
    boolean[][][] layout = new boolean[1][][];
    NDArray rows = ImageTokens.perRow(visual, ImageTokens.rowTotals(counts), null, layout);   // [B, max, D]
    DecodeState state = new DecodeState(rows, p.ids(), p.valid(), ImageTokens.lengths(p.valid()), cache);
    if (layout[0] != null) {
      state.setVisualLayout(layout[0], new long[layout[0].length][layout[0][0].length],
          new long[layout[0].length][layout[0][0].length]);
    }
    state.setLogits(languageModel.logits(ImageTokens.lastReal(hidden, p.valid())));  // [B, V]
    return state;
  }

  /**
   * Generation from one-view images, pixels [B, 3, H, W] or [B, M, 3, H, W]; positions as HF's
   * generate() counts them (real tokens from 0 in each row, padding at 1), so left- and right-padded
   * prompts decode alike.
   */
  @Override
  public DecodeState prefill(NDArray pixels, NDArray promptIds, NDArray promptValid, boolean useCache) {
    if (config.imageGridPinpoints() != null) {
      throw new GlimpseException("an AnyRes LLaVA sees each image at its own size; give it images (prefillSequence)");
    }
    return prefillSequence(ImageSequence.uniform(pixels), promptIds, promptValid, useCache);
  }

  @Override
  public void step(DecodeState state, long[] ids, NDManager manager) {
    if (state.cached()) {
      languageModel.stepCached(state, ids, manager);
      return;
    }
    state.append(ids);
    NDArray tokens = state.tokens(manager);
    NDArray valid = state.valid(manager);
    NDArray hidden = decode(embed(tokens, ImageTokens.realTokens(state)), languageModel.promptPositions(valid), valid,
        null, null);
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

  /** The CLIP tower; null when the tower is a GenLIP encoder (see {@link #tower}). */
  public VisionTransformer vision() {
    return vision;
  }

  public VisionTower tower() {
    return tower;
  }

  public Transformer text() {
    return languageModel.transformer();
  }

  public LanguageModel languageModel() {
    return languageModel;
  }
}
