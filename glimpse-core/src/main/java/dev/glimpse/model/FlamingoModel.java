package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.connect.GatedCrossAttention;
import dev.glimpse.connect.PerceiverResampler;
import dev.glimpse.data.ImageViews;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.KvCache;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.Transformer;
import dev.glimpse.nn.VisionTransformer;
import java.util.ArrayList;
import java.util.List;

/**
 * Flamingo: vision tower -> Perceiver Resampler ({@code latents} visual tokens per image, any image
 * size) -> a language model with a tanh-gated cross-attention layer before every k-th block. The text
 * holds one image token where each image goes; a text token's cross-attention sees only the image
 * at or before it (the last image token up to it), and text before any image sees none. With every
 * gate at 0 the model is exactly its language model.
 */
public final class FlamingoModel implements TakesImageSequences {
  private final FlamingoConfig config;
  private final VisionTransformer vision; // null with a GenLIP tower
  private final VisionTower tower;
  private final PerceiverResampler resampler;
  private final List<GatedCrossAttention> crossAttention = new ArrayList<>();
  private final LanguageModel languageModel;

  public FlamingoModel(ParameterStore.Scope scope, FlamingoConfig config) {
    this.config = config;
    if (config.genlipVision() != null) {
      this.vision = null;
      this.tower = VisionTower.genlip(scope.sub("vision"), config.genlipVision());
    } else {
      this.vision = new VisionTransformer(scope.sub("vision"), config.vision());
      this.tower = VisionTower.vit(vision, config.visionFeatureLayer(), false);
    }
    this.resampler = new PerceiverResampler(scope.sub("resampler"), config.resampler(), tower.width());
    for (int i = 0; i < config.crossAttentionLayers(); i++) {
      crossAttention.add(new GatedCrossAttention(scope.sub("xattn.layers", i), config.crossAttentionStack(),
          tower.width()));
    }
    this.languageModel = new LanguageModel(scope, config.languageModel());
  }

  public FlamingoConfig config() {
    return config;
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  /** Visual tokens of images: [N, 3, H, W] -> [N, R, Dv]; with video frames [N, F, 3, H, W] -> [N, R, Dv]. */
  public NDArray resample(NDArray pixels) {
    Shape s = pixels.getShape();
    if (s.dimension() == 4) {
      return resampler.forward(tower.features(pixels));
    }
    NDArray frames = tower.features(pixels.reshape(s.get(0) * s.get(1), s.get(2), s.get(3), s.get(4)));
    Shape f = frames.getShape();
    return resampler.forwardFrames(frames.reshape(s.get(0), s.get(1), f.get(1), f.get(2)));
  }

  /** The visual tokens of each row's images side by side: pixels -> [B, M*R, Dv], M images per row. */
  private NDArray rowMedia(NDArray pixels) {
    long b = pixels.getShape().get(0);
    boolean video = config.frames() > 1 && pixels.getShape().dimension() == 5;
    NDArray visual = video ? resample(pixels) : resample(ImageTokens.images(pixels));     // [B*M, R, Dv]
    return visual.reshape(b, -1, visual.getShape().get(2));
  }

  /**
   * The visual tokens of a sequence's images per row, side by side: [B, M*R, Dv] for the most images M
   * of a row; rows with fewer are padded with zeros, which no text token attends to.
   */
  private NDArray rowMedia(ImageSequence images) {
    NDArray visual = resample(images.pixels());                                            // [I, R, Dv]
    int[] perRow = images.imagesPerRow();
    int max = java.util.Arrays.stream(perRow).max().orElse(0);
    long r = visual.getShape().get(1);
    long d = visual.getShape().get(2);
    if (java.util.Arrays.stream(perRow).allMatch(n -> n == max)) {
      return visual.reshape(perRow.length, max * r, d);
    }
    ai.djl.ndarray.NDList rows = new ai.djl.ndarray.NDList();
    int at = 0;
    for (int n : perRow) {
      NDArray row = visual.get(at + ":" + (at + n)).reshape(n * r, d);
      if (n < max) {
        row = row.concat(visual.getManager().zeros(new Shape((max - n) * r, d), visual.getDataType()), 0);
      }
      rows.add(row);
      at += n;
    }
    return ai.djl.ndarray.NDArrays.stack(rows, 0);
  }

  @Override
  public ImageViews imageViews() {
    return ImageViews.single(1);
  }

  // the latents each image (or clip) becomes, which the gated layers attend to; the text holds one marker
  @Override
  public int visualTokens(ImageViews.Viewed viewed) {
    return config.resampler().latents();
  }

  @Override
  public boolean readsVideo() {
    return config.frames() > 1;
  }

  @Override
  public NDArray forwardSequence(ImageSequence images, NDArray ids, NDArray valid) {
    return languageModel.logits(decode(rowMedia(images), ids, valid, languageModel.sequencePositions(valid), null));
  }

  @Override
  public DecodeState prefillSequence(ImageSequence images, NDArray promptIds, NDArray promptValid, boolean useCache) {
    int[] ones = new int[images.images()];
    java.util.Arrays.fill(ones, 1);
    ImageTokens.Prompt p = ImageTokens.ensure(promptIds, promptValid, config.imageTokenId(),
        ImageTokens.counts(images.imagesPerRow(), ones), 1);
    return prefillWith(rowMedia(images), p, useCache);
  }

  /**
   * The image each text token follows: the number of image tokens among the real tokens up to and
   * including it, minus one (-1 before the first).
   */
  static int[][] mediaOfTokens(long[] ids, float[] valid, int rows, int length, int imageTokenId) {
    int[][] out = new int[rows][length];
    for (int b = 0; b < rows; b++) {
      int seen = -1;
      for (int t = 0; t < length; t++) {
        if (valid[b * length + t] > 0 && ids[b * length + t] == imageTokenId) {
          seen++;
        }
        out[b][t] = seen;
      }
    }
    return out;
  }

  /** Cross-attention mask [B, 1, T, M*R] and which tokens have an image before them [B, T, 1]. */
  private NDArray[] crossMasks(int[][] media, int images, NDManager manager) {
    int b = media.length;
    int t = media[0].length;
    int r = config.imageTokens();
    float[] mask = new float[b * t * images * r];
    float[] has = new float[b * t];
    for (int i = 0; i < b; i++) {
      AttentionMask pattern = AttentionMask.interleaved(media[i], images, r);
      System.arraycopy(pattern.block(images * r, t, 0, images * r), 0, mask, i * t * images * r, t * images * r);
      for (int j = 0; j < t; j++) {
        has[i * t + j] = media[i][j] >= 0 ? 1 : 0;
      }
    }
    return new NDArray[] {manager.create(mask, new Shape(b, 1, t, (long) images * r)),
        manager.create(has, new Shape(b, t, 1))};
  }

  // the language model over embedded text, gated cross-attention before every k-th block
  private NDArray decode(NDArray visual, NDArray ids, NDArray valid, NDArray positions, KvCache cache) {
    int b = (int) ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    int images = (int) (visual.getShape().get(1) / config.imageTokens());
    int[][] media = mediaOfTokens(ids.toLongArray(), valid.toType(DataType.FLOAT32, false).toFloatArray(), b, t,
        config.imageTokenId());
    for (int[] row : media) {
      if (row[t - 1] >= images) {
        throw new IllegalArgumentException("a row has " + (row[t - 1] + 1) + " image tokens for " + images + " images");
      }
    }
    NDArray[] masks = crossMasks(media, images, ids.getManager());
    return languageModel.hidden(languageModel.embedTokens(ids), positions, LanguageModel.causalMask(valid), cache, null,
        insertion(visual, masks[0], masks[1]));
  }

  private Transformer.Insertion insertion(NDArray visual, NDArray mask, NDArray hasMedia) {
    int every = config.crossAttentionEvery();
    return (block, x) -> block % every == 0 ? crossAttention.get(block / every).forward(x, visual, mask, hasMedia) : x;
  }

  /**
   * Training forward of one image per row: a prompt without its image token gets one after BOS
   * (captioning), and the logits of the original columns are returned.
   */
  @Override
  public NDArray forward(NDArray pixels, NDArray ids, NDArray valid) {
    int t = (int) ids.getShape().get(1);
    ImageTokens.Prompt p = ImageTokens.ensure(ids, valid, config.imageTokenId(), 1, 1, imagesPerRow(pixels));
    NDArray logits = languageModel.logits(decode(rowMedia(pixels), p.ids(), p.valid(),
        languageModel.sequencePositions(p.valid()), null));
    long total = logits.getShape().get(1);
    return p.ids() == ids ? logits : logits.get(":, " + (total - t) + ":, :");
  }

  private int imagesPerRow(NDArray pixels) {
    return config.frames() > 1 ? 1 : ImageTokens.imagesPerRow(pixels);
  }

  @Override
  public DecodeState prefill(NDArray pixels, NDArray promptIds, NDArray promptValid, boolean useCache) {
    ImageTokens.Prompt p = ImageTokens.ensure(promptIds, promptValid, config.imageTokenId(), 1, 1,
        imagesPerRow(pixels));
    return prefillWith(rowMedia(pixels), p, useCache);
  }

  private DecodeState prefillWith(NDArray visual, ImageTokens.Prompt p, boolean useCache) {
    KvCache cache = useCache ? new KvCache(languageModel.transformer().numLayers()) : null;
    NDArray hidden = decode(visual, p.ids(), p.valid(), languageModel.promptPositions(p.valid()), cache);
    DecodeState state = new DecodeState(visual, p.ids(), p.valid(), ImageTokens.lengths(p.valid()), cache);
    state.setLogits(languageModel.logits(ImageTokens.lastReal(hidden, p.valid())));      // [B, V]
    return state;
  }

  @Override
  public void step(DecodeState state, long[] ids, NDManager manager) {
    if (!state.cached()) {
      state.append(ids);
      NDArray valid = state.valid(manager);
      NDArray hidden = decode(state.visual(), state.tokens(manager), valid, languageModel.promptPositions(valid), null);
      state.setLogits(languageModel.logits(hidden.get(":, -1, :")));
      return;
    }
    // the new tokens follow each row's last image
    int b = (int) state.batchSize();
    int t = state.length();
    int[][] media = mediaOfTokens(state.tokens(manager).toLongArray(), state.valid(manager).toFloatArray(), b, t,
        config.imageTokenId());
    int images = (int) (state.visual().getShape().get(1) / config.imageTokens());
    int[][] last = new int[b][1];
    for (int i = 0; i < b; i++) {
      // a generated image token brings no new image: the row stays with its last one
      last[i][0] = Math.min(images - 1, media[i][t - 1]);
    }
    NDArray[] masks = crossMasks(last, images, manager);
    languageModel.stepCached(state, ids, manager, insertion(state.visual(), masks[0], masks[1]));
  }

  @Override
  public int imageTokenId() {
    return config.imageTokenId();
  }

  @Override
  public int maxTextLength() {
    return config.maxTextLength();
  }

  public LanguageModel languageModel() {
    return languageModel;
  }

  public PerceiverResampler resampler() {
    return resampler;
  }

  public List<GatedCrossAttention> crossAttention() {
    return crossAttention;
  }

  public VisionTower tower() {
    return tower;
  }
}
