package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.connect.Connector;
import dev.glimpse.connect.LinearProjector;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.KvCache;
import dev.glimpse.nn.LmHead;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.Scalars;
import dev.glimpse.nn.TextEmbedding;
import dev.glimpse.nn.Transformer;
import dev.glimpse.nn.VisionTransformer;
import java.util.List;

/**
 * GIT (Wang et al. 2022): image encoder -> projection -> one text transformer over
 * [image tokens ; text tokens] with the seq2seq mask, LM head on the text positions. Video: each frame
 * is encoded alone, a learned temporal embedding is added per frame, frame tokens are concatenated.
 */
public final class GitModel implements CaptioningModel, EmbedsImages {
  private final GitConfig config;
  private final VisionTransformer vision;
  private final Parameter temporalEmbedding; // [F, D_vision] or null
  private final Connector projection;
  private final TextEmbedding textEmbedding;
  private final Transformer decoder;
  private final LmHead head;

  public GitModel(ParameterStore.Scope scope, GitConfig config) {
    this.config = config;
    double std = config.decoder().initStd();
    int visionWidth = config.vision().width();
    this.vision = new VisionTransformer(scope.sub("vision"), config.vision());
    // frame order starts salient (1D sin-cos over the frames, base 100 for a handful of frames) when
    // the vision width is even; HF checkpoints overwrite it
    Init temporalInit = visionWidth % 2 == 0
        ? Init.sinCos1d(config.numTemporalEmbeddings(), visionWidth, 100) : Init.normal(std);
    this.temporalEmbedding = config.numTemporalEmbeddings() > 0
        ? scope.token("temporal_embedding", temporalInit, config.numTemporalEmbeddings(), visionWidth)
        : null;
    this.projection = new LinearProjector(scope.sub("visual_projection"), visionWidth, config.width(),
        config.projectionNorm(), config.vision().encoder().normEps(), std);
    this.textEmbedding = new TextEmbedding(scope.sub("text_embedding"), config.vocabSize(), config.width(),
        config.maxTextPositions(), 0, config.textEmbeddingNorm() ? GitConfig.textNorm() : null,
        config.decoder().normEps(), std);
    this.decoder = new Transformer(scope.sub("decoder"), config.decoder());
    this.head = config.tieWordEmbeddings()
        ? LmHead.tied(textEmbedding)
        : LmHead.untied(scope.sub("lm_head"), config.width(), config.vocabSize(), config.headBias(), std);
  }

  public GitConfig config() {
    return config;
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  /**
   * Visual tokens in the decoder's space.
   *
   * @param pixels images [B, 3, H, W] or video [B, F, 3, H, W]
   * @return [B, N, D] with N = tokens per image (times F for video)
   */
  public NDArray encodeVisual(NDArray pixels) {
    return projection.forward(visionFeatures(pixels, null));
  }

  /** The mean of the vision encoder's output tokens: [B, 3, H, W] -> [B, D_vision]. */
  @Override
  public NDArray imageEmbedding(NDArray pixels) {
    return visionFeatures(pixels, null).mean(new int[] {1});
  }

  /** Vision encoder output (plus temporal embeddings for video), before the projection: [B, N, D_vision]. */
  public NDArray visionFeatures(NDArray pixels, List<NDArray> hiddenStates) {
    Shape s = pixels.getShape();
    if (s.dimension() == 4) {
      return vision.forward(pixels, hiddenStates);                    // [B, N, Dv]
    }
    if (s.dimension() != 5) {
      throw new IllegalArgumentException("pixels must be [B, 3, H, W] or [B, F, 3, H, W], got " + s);
    }
    long b = s.get(0);
    long frames = s.get(1);
    if (temporalEmbedding == null || frames > config.numTemporalEmbeddings()) {
      throw new IllegalArgumentException("model has " + config.numTemporalEmbeddings()
          + " temporal embeddings, input has " + frames + " frames");
    }
    NDArray perFrame = vision.forward(pixels.reshape(b * frames, s.get(2), s.get(3), s.get(4)), null);
    long n = perFrame.getShape().get(1);
    long dv = perFrame.getShape().get(2);
    NDArray temporal = temporalEmbedding.array().get(":" + frames).reshape(1, frames, 1, dv);
    return perFrame.reshape(b, frames, n, dv).add(temporal).reshape(b, frames * n, dv); // [B, F*N, Dv]
  }

  /** Text token embeddings at positions 0..T-1 (plus the embedding norm, if any): [B, T] -> [B, T, D]. */
  public NDArray embedText(NDArray ids) {
    return textEmbedding.forward(ids, positionsFor(ids));
  }

  /**
   * Training forward: logits of the text positions.
   *
   * @param pixels [B, 3, H, W] or [B, F, 3, H, W]
   * @param ids [B, T] int64 text ids (BOS first)
   * @param textValid [B, T] 1 for real tokens, 0 for padding
   * @return [B, T, V]
   */
  @Override
  public NDArray forward(NDArray pixels, NDArray ids, NDArray textValid) {
    NDArray visual = encodeVisual(pixels);                              // [B, N, D]
    long n = visual.getShape().get(1);
    NDArray hidden = decode(visual, ids, positionsFor(ids), textValid, null, null);
    return head.forward(hidden.get(":, " + n + ":, :"));                // [B, T, V]
  }

  /**
   * Packed texts: the image tokens see each other (never text), every text token sees all image
   * tokens and the text tokens {@code textMask} allows (its own text, causally).
   */
  @Override
  public NDArray forwardPacked(NDArray pixels, NDArray ids, NDArray positions, NDArray textMask) {
    NDArray visual = encodeVisual(pixels);                              // [B, N, D]
    long b = visual.getShape().get(0);
    long n = visual.getShape().get(1);
    long t = ids.getShape().get(1);
    NDManager manager = ids.getManager();
    NDArray imageRows = manager.zeros(new Shape(b, n, n))
        .concat(manager.full(new Shape(b, n, t), AttentionMask.BLOCKED), 2);           // [B, N, N + T]
    NDArray textRows = manager.zeros(new Shape(b, t, n))
        .concat(Scalars.mul(textMask.toType(DataType.FLOAT32, false).neg().add(1f), AttentionMask.BLOCKED), 2); // [B, T, N + T]
    NDArray mask = imageRows.concat(textRows, 1).expandDims(1);         // [B, 1, N + T, N + T]
    NDArray hidden = decodeMasked(visual, ids, positions, mask, null, null);
    return head.forward(hidden.get(":, " + n + ":, :"));                // [B, T, V]
  }

  @Override
  public boolean takesPackedTexts() {
    return true;
  }

  /**
   * Forward over the whole sequence, as HuggingFace's GitForCausalLM does (logits for image and text
   * positions). {@code hiddenStates} (nullable) receives the decoder's per-layer states.
   */
  public NDArray forwardFull(NDArray pixels, NDArray ids, NDArray textValid, List<NDArray> hiddenStates) {
    NDArray visual = encodeVisual(pixels);
    return head.forward(decode(visual, ids, positionsFor(ids), textValid, null, hiddenStates));  // [B, N+T, V]
  }

  // [B, N, D] visual + [B, T] ids -> decoder output [B, N + T, D], under the seq2seq mask with key padding
  private NDArray decode(NDArray visual, NDArray ids, NDArray positions, NDArray textValid, KvCache cache,
      List<NDArray> hiddenStates) {
    int n = (int) visual.getShape().get(1);
    int t = (int) ids.getShape().get(1);
    NDArray mask = seq2seqMask(n, t).toArray(ids.getManager())
        .add(AttentionMask.keyPadding(withPrefix(textValid, n)));         // [B, 1, N+T, N+T]
    return decodeMasked(visual, ids, positions, mask, cache, hiddenStates);
  }

  // the same under a given additive mask [B or 1, 1, N+T, N+T]
  private NDArray decodeMasked(NDArray visual, NDArray ids, NDArray positions, NDArray mask, KvCache cache,
      List<NDArray> hiddenStates) {
    NDArray text = textEmbedding.forward(ids, positions);                 // [B, T, D]
    NDArray sequence = visual.concat(text, 1);                             // [B, N + T, D]
    return decoder.forward(sequence, mask, cache, null, null, hiddenStates);
  }

  /** GIT's mask: image tokens see all image tokens and no text; text sees all image tokens and earlier text. */
  public static AttentionMask seq2seqMask(int numImageTokens, int numTextTokens) {
    return AttentionMask.builder()
        .segment("image", numImageTokens, false)
        .segment("text", numTextTokens, true)
        .see("text", "image")
        .build();
  }

  // [B, T] -> [B, N + T] with ones for the visual prefix
  private static NDArray withPrefix(NDArray textValid, int n) {
    NDArray valid = textValid.toType(DataType.FLOAT32, false);
    NDArray prefix = valid.getManager().ones(new Shape(valid.getShape().get(0), n));
    return prefix.concat(valid, 1);
  }

  // positions 0..T-1 for every row: [B, T]
  private static NDArray positionsFor(NDArray ids) {
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    return ids.getManager().arange(0, t, 1, DataType.INT64).reshape(1, t).repeat(0, b);
  }

  /**
   * Encodes the images and runs the prompt, leaving the logits for the first new token in the state.
   *
   * @param pixels [B, 3, H, W] or [B, F, 3, H, W]
   * @param promptIds [B, T] int64, right-padded (BOS alone for captioning)
   * @param promptValid [B, T] 1 for real tokens
   * @param useCache keep keys/values so each step runs one token (false: recompute every step)
   */
  @Override
  public DecodeState prefill(NDArray pixels, NDArray promptIds, NDArray promptValid, boolean useCache) {
    NDArray visual = encodeVisual(pixels);
    int n = (int) visual.getShape().get(1);
    long b = promptIds.getShape().get(0);
    KvCache cache = useCache ? new KvCache(decoder.numLayers()) : null;
    NDArray hidden = decode(visual, promptIds, positionsFor(promptIds), promptValid, cache, null); // [B, N+T, D]
    long[] lengths = lengths(promptValid);
    long[] gather = new long[(int) b];
    for (int i = 0; i < b; i++) {
      gather[i] = n + lengths[i] - 1;
    }
    NDArray last = lastPositions(hidden, gather);                          // [B, D]
    DecodeState state = new DecodeState(visual, promptIds, promptValid, lengths, cache);
    state.setLogits(head.forward(last));                                   // [B, V]
    return state;
  }

  @Override
  public void step(DecodeState state, long[] ids, NDManager manager) {
    long[] positions = state.nextPositions();
    state.append(ids);
    if (state.cached()) {
      NDArray x = textEmbedding.forward(manager.create(ids).reshape(-1, 1),
          manager.create(positions).reshape(-1, 1));                       // [B, 1, D]
      NDArray keyValid = state.keyValid(manager);                          // [B, S] or null (no padding)
      NDArray mask = keyValid == null ? null : AttentionMask.keyPadding(keyValid);
      NDArray hidden = decoder.forward(x, mask, state.cache(), null, null, null);
      state.setLogits(head.forward(hidden.squeeze(1)));                    // [B, V]
      return;
    }
    // No cache: recompute the whole sequence; text positions continue each row's prompt.
    NDArray hidden = decode(state.visual(), state.tokens(manager), state.positions(manager),
        state.valid(manager), null, null);
    long length = hidden.getShape().get(1);
    state.setLogits(head.forward(hidden.get(":, " + (length - 1) + ", :")));  // [B, V]
  }

  static long[] lengths(NDArray valid) {
    float[] v = valid.toType(DataType.FLOAT32, false).toFloatArray();
    long b = valid.getShape().get(0);
    int t = (int) valid.getShape().get(1);
    long[] out = new long[(int) b];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        out[i] += v[i * t + j] > 0 ? 1 : 0;
      }
      if (out[i] == 0) {
        throw new IllegalArgumentException("prompt row " + i + " is empty (it needs at least BOS)");
      }
    }
    return out;
  }

  // hidden [B, L, D], one index per row -> [B, D]
  static NDArray lastPositions(NDArray hidden, long[] index) {
    NDManager manager = hidden.getManager();
    long d = hidden.getShape().get(2);
    NDArray idx = manager.create(index).reshape(-1, 1, 1).repeat(2, d);   // [B, 1, D]
    return hidden.gather(idx, 1).squeeze(1);
  }

  @Override
  public boolean attendsToImageTokens() {
    return true;
  }

  /** Records the last decoder layer's probabilities during one teacher-forced pass (images only, not video). */
  @Override
  public ImageAttention imageAttention(NDArray pixels, NDArray ids) {
    if (pixels.getShape().dimension() != 4 || pixels.getShape().get(0) != 1 || ids.getShape().get(0) != 1) {
      throw new IllegalArgumentException("image attention takes one image [1, 3, H, W] and one text [1, T], got "
          + pixels.getShape() + " and " + ids.getShape());
    }
    var last = decoder.blocks().get(decoder.numLayers() - 1).attention();
    last.setRecordAttention(true);
    try {
      NDArray visual = encodeVisual(pixels);                              // [1, N, D]
      int n = (int) visual.getShape().get(1);
      int t = (int) ids.getShape().get(1);
      NDArray valid = ids.getManager().ones(new Shape(1, t));
      decode(visual, ids, positionsFor(ids), valid, null, null);
      NDArray probabilities = last.lastProbabilities();                  // [1, H, N+T, N+T]
      int first = config.vision().classToken() ? 1 : 0;
      int side = (int) Math.round(Math.sqrt(n - first));
      if (side * side != n - first) {
        throw new IllegalStateException(n - first + " patch tokens do not form a square grid");
      }
      float[] mean = probabilities.mean(new int[] {1}).toFloatArray();     // [N+T, N+T] row-major
      int width = n + t;
      float[][] weights = new float[t][side * side];
      for (int j = 0; j < t; j++) {
        System.arraycopy(mean, (n + j) * width + first, weights[j], 0, side * side);
      }
      return new ImageAttention(weights, side, side);
    } finally {
      last.setRecordAttention(false);
    }
  }

  @Override
  public int maxTextLength() {
    return config.maxTextPositions();
  }

  public VisionTransformer vision() {
    return vision;
  }

  public Transformer decoder() {
    return decoder;
  }
}
