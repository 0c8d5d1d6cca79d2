package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.connect.PoolAggregator;
import dev.glimpse.connect.RoiPool;
import dev.glimpse.loss.Temperature;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.KvCache;
import dev.glimpse.nn.Linear;
import dev.glimpse.nn.LmHead;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TextEmbedding;
import dev.glimpse.nn.Transformer;
import dev.glimpse.nn.VisionTransformer;

/**
 * MM-GEM: one vision encoder, one causal language model, thin projections between them
 * ({@link MmGemConfig} draws the data flow). The same LM embeds a text (its {@code [EMB]} token's last
 * hidden state through h2) and captions an image (Vin = h3(VEmb), then {@code [CAP]}, then the caption).
 *
 * <p>Text rows follow the rest of Glimpse: a caption is {@code [BOS] tokens} (targets shifted by
 * one, {@code [EOS]} last); the model puts {@code [CAP]} (or the soft prompts) where BOS stands. An
 * embedded text is {@code [BOS] tokens [EMB]} ({@link #textIds}).
 */
public final class MmGemModel implements CaptioningModel, RegionModel {
  private final MmGemConfig config;
  private final VisionTransformer vision;
  private final PoolAggregator aggregator;
  private final RoiPool regionPool;
  private final Linear h1;                 // pooled vision feature -> VEmb
  private final Linear h2;                 // [EMB] hidden state -> text embedding
  private final Linear h3;                 // VEmb -> Vin, m LM input vectors
  private final Linear h4;                 // VEmb -> region-retrieval embedding (stage 2), or null
  private final Parameter softPrompts;     // [k, D] offsets from [CAP]'s embedding (stage 2), or null
  private final TextEmbedding textEmbedding;
  private final Transformer text;
  private final LmHead head;
  private final boolean rotary;

  public MmGemModel(ParameterStore.Scope scope, MmGemConfig config) {
    this.config = config;
    double std = config.text().initStd();
    int width = config.text().width();
    int visionWidth = config.vision().width();
    int p = config.embeddingDim();
    this.rotary = config.text().ropeTheta() > 0;
    this.vision = new VisionTransformer(scope.sub("vision"), config.vision());
    this.aggregator = config.aggregator();
    this.regionPool = config.regionPool();
    this.h1 = new Linear(scope.sub("h1"), visionWidth, p, true, std);
    this.h2 = new Linear(scope.sub("h2"), width, p, true, std);
    this.h3 = new Linear(scope.sub("h3"), p, (long) config.contextTokens() * width, true, std);
    this.h4 = config.regionHead() ? new Linear(scope.sub("h4"), p, p, true, Init.identity(p)) : null;
    this.softPrompts = config.softPrompts() > 0
        ? scope.token("soft_prompts", Init.zeros(), config.softPrompts(), width) : null;
    this.textEmbedding = new TextEmbedding(scope.sub("text_embedding"), config.vocabSize(), width,
        rotary ? 0 : config.maxTextPositions(), 0, null, config.text().normEps(), std);
    this.text = new Transformer(scope.sub("text"), config.text());
    this.head = config.tieWordEmbeddings()
        ? LmHead.tied(textEmbedding)
        : LmHead.untied(scope.sub("lm_head"), width, config.vocabSize(), false, std);
  }

  public MmGemConfig config() {
    return config;
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  // ---- vision side ----

  /** Pooled vision features: one row per image (boxes null) or per box: [R, Dv]. */
  public NDArray pooled(NDArray pixels, float[][] boxes) {
    NDArray features = vision.forward(pixels);                          // [B, N, Dv]
    int patch = config.vision().patchSize();
    int gridH = (int) pixels.getShape().get(2) / patch;
    int gridW = (int) pixels.getShape().get(3) / patch;
    PoolAggregator pool = boxes == null ? aggregator : regionPool;      // regions always through RoIAlign
    return pool.pool(features, gridH, gridW, patch, boxes);             // [R, Dv]
  }

  /** VEmb, the image embedding before normalisation: pooled [R, Dv] -> [R, P]. */
  public NDArray imageEmbedding(NDArray pooled) {
    return h1.forward(pooled);
  }

  /**
   * What region retrieval compares: VEmb, in stage 2 through h4 (identity at its start): [R, P] -> [R, P].
   * Stage 2 trains h4 on the rows of its batches (regions, and whole images as one box).
   */
  public NDArray retrievalEmbedding(NDArray vemb) {
    return h4 == null ? vemb : h4.forward(vemb);
  }

  @Override
  public int embeddingDim() {
    return config.embeddingDim();
  }

  @Override
  public int imageTokens() {
    return config.vision().numTokens();
  }

  @Override
  public NDArray embedImages(NDArray pixels) {
    // whole images keep stage 1's embedding (h1 alone): h4 serves regions, so stage 2 leaves global
    // retrieval exactly as it was
    return imageEmbedding(pooled(pixels, null));                          // [B, P]
  }

  @Override
  public NDArray embedRegions(NDArray pixels, float[][] boxes) {
    return retrievalEmbedding(imageEmbedding(pooled(pixels, boxes)));    // [R, P]
  }

  // ---- embedding mode: [BOS] text [EMB] ----

  /** {@code [BOS] tokens [EMB]}, at most {@link #maxTextLength} ids. */
  @Override
  public int[] textIds(int[] tokens, int bos) {
    int kept = Math.min(tokens.length, config.maxTextLength() - 2);
    int[] ids = new int[kept + 2];
    ids[0] = bos;
    System.arraycopy(tokens, 0, ids, 1, kept);
    ids[kept + 1] = config.embTokenId();
    return ids;
  }

  /** The text embedding (unnormalised): h2 of the last real token's hidden state, [B, T] -> [B, P]. */
  @Override
  public NDArray embedTexts(NDArray ids, NDArray valid) {
    NDArray x = textEmbedding.embedTokens(ids);                                 // [B, T, D]
    NDArray hidden = run(x, valid, null, ImageTokens.arange(ids));              // [B, T, D]
    return h2.forward(ImageTokens.lastReal(hidden, valid));                     // [B, P]
  }

  /** The InfoNCE temperature of the run's schedule. */
  public Temperature temperature() {
    return Temperature.scheduled(config.temperature(), config.finalTemperature());
  }

  // ---- generation mode: [Vin] [CAP] caption ----

  /**
   * Teacher-forced caption logits from the whole image: ids [B, T] ({@code [BOS] caption}, BOS replaced
   * by the caption prompt) -> [B, T, V], position t predicting token t + 1.
   */
  @Override
  public NDArray forward(NDArray pixels, NDArray ids, NDArray valid) {
    return captionLogits(imageEmbedding(pooled(pixels, null)), ids, valid);
  }

  /** Caption logits given VEmb [B, P] (both objectives share one vision pass): ids [B, T] -> [B, T, V]. */
  public NDArray captionLogits(NDArray vemb, NDArray ids, NDArray valid) {
    NDArray prefix = prefix(vemb);                                               // [B, N, D]
    int n = (int) prefix.getShape().get(1);
    NDArray sequence = prefix.concat(textColumns(ids, vemb.getManager()), 1);    // [B, N + T, D]
    NDArray hidden = run(sequence, withPrefix(valid, n), null, ImageTokens.arange(sequence.get(":, :, 0")));
    return head.forward(hidden.get(":, " + n + ":, :"));                         // [B, T, V]
  }

  /**
   * Vin and every caption prompt but the last: [B, P] -> [B, m + k - 1, D]. The last prompt ({@code
   * [CAP]}, or {@code [CAP_k]}) stands in the text's first column, where BOS is.
   */
  private NDArray prefix(NDArray vemb) {
    long b = vemb.getShape().get(0);
    int width = config.text().width();
    NDArray vin = h3.forward(vemb).reshape(b, config.contextTokens(), width);     // [B, m, D]
    int k = Math.max(1, config.softPrompts());
    if (k == 1) {
      return vin;
    }
    NDArray prompts = captionPrompts(vemb.getManager());                         // [k, D]
    NDArray leading = prompts.get(":" + (k - 1)).expandDims(0).repeat(0, b);      // [B, k - 1, D]
    return vin.concat(leading, 1);
  }

  // [CAP]'s embedding, or the k soft prompts ([CAP] + learned offsets): [k, D]
  private NDArray captionPrompts(NDManager manager) {
    NDArray cap = textEmbedding.embedTokens(manager.create(new long[] {config.capTokenId()}).reshape(1, 1))
        .reshape(1, config.text().width());                                       // [1, D]
    return softPrompts == null ? cap : softPrompts.array().add(cap);
  }

  // the text's columns with the last caption prompt in place of BOS: ids [B, T] -> [B, T, D]
  private NDArray textColumns(NDArray ids, NDManager manager) {
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    NDArray prompts = captionPrompts(manager);
    NDArray last = prompts.get((prompts.getShape().get(0) - 1) + ":").expandDims(0).repeat(0, b); // [B, 1, D]
    return t == 1 ? last : last.concat(textEmbedding.embedTokens(ids.get(":, 1:")), 1);
  }

  // The LM over a sequence of input vectors, causal, padded keys blocked; positions [B, L] int64.
  private NDArray run(NDArray x, NDArray keyValid, KvCache cache, NDArray positions) {
    int length = (int) x.getShape().get(1);
    NDArray input = rotary ? x : textEmbedding.withPositions(x, positions);
    NDArray mask = AttentionMask.builder().segment("text", length, true).build().toArray(x.getManager(), keyValid);
    return text.forward(input, mask, cache, rotary ? positions : null, null, null);   // [B, L, D]
  }

  // [B, T] -> [B, N + T] with the N prefix columns real
  private static NDArray withPrefix(NDArray valid, int n) {
    NDArray v = valid.toType(DataType.FLOAT32, false);
    return v.getManager().ones(new Shape(v.getShape().get(0), n)).concat(v, 1);
  }

  // ---- decoding ----

  @Override
  public DecodeState prefill(NDArray pixels, NDArray promptIds, NDArray promptValid, boolean useCache) {
    return prefillFrom(imageEmbedding(pooled(pixels, null)), promptIds, promptValid, useCache);
  }

  @Override
  public DecodeState prefillRegions(NDArray pixels, float[][] boxes, NDArray promptIds, NDArray promptValid,
      boolean useCache) {
    return prefillFrom(imageEmbedding(pooled(pixels, boxes)), promptIds, promptValid, useCache);
  }

  private DecodeState prefillFrom(NDArray vemb, NDArray promptIds, NDArray promptValid, boolean useCache) {
    NDArray prefix = prefix(vemb);                                                // [B, N, D]
    int n = (int) prefix.getShape().get(1);
    NDArray sequence = prefix.concat(textColumns(promptIds, vemb.getManager()), 1); // [B, N + T, D]
    KvCache cache = useCache ? new KvCache(text.numLayers()) : null;
    NDArray positions = ImageTokens.arange(sequence.get(":, :, 0"));
    NDArray hidden = run(sequence, withPrefix(promptValid, n), cache, positions);   // [B, N + T, D]
    long[] lengths = ImageTokens.lengths(promptValid);
    DecodeState state = new DecodeState(prefix, promptIds, promptValid, lengths, cache);
    state.setLogits(head.forward(ImageTokens.lastReal(hidden, withPrefix(promptValid, n))));  // [B, V]
    return state;
  }

  @Override
  public void step(DecodeState state, long[] ids, NDManager manager) {
    int n = (int) state.visual().getShape().get(1);
    long[] next = state.nextPositions();
    state.append(ids);
    if (state.cached()) {
      long[] positions = new long[next.length];
      for (int i = 0; i < next.length; i++) {
        positions[i] = n + next[i];
      }
      NDArray position = manager.create(positions).reshape(-1, 1);               // [B, 1]
      NDArray x = textEmbedding.embedTokens(manager.create(ids).reshape(-1, 1));  // [B, 1, D]
      NDArray input = rotary ? x : textEmbedding.withPositions(x, position);
      NDArray keyValid = state.keyValid(manager);
      NDArray mask = keyValid == null ? null : AttentionMask.keyPadding(keyValid);
      NDArray hidden = text.forward(input, mask, state.cache(), rotary ? position : null, null, null);
      state.setLogits(head.forward(hidden.squeeze(1)));                            // [B, V]
      return;
    }
    // no cache: the whole sequence again, text columns at their own positions after the prefix
    NDArray tokens = state.tokens(manager);
    NDArray sequence = state.visual().concat(textColumns(tokens, manager), 1);     // [B, N + T, D]
    NDArray prefixPositions = ImageTokens.arange(state.visual().get(":, :, 0"));
    NDArray positions = prefixPositions.concat(state.positions(manager).add(n), 1);
    NDArray hidden = run(sequence, withPrefix(state.valid(manager), n), null, positions);
    state.setLogits(head.forward(hidden.get(":, -1, :")));
  }

  @Override
  public int maxTextLength() {
    return config.maxTextLength();
  }

  @Override
  public boolean embeds() {
    return config.embeds();
  }

  @Override
  public boolean writesText() {
    return config.generates();
  }

  public VisionTransformer vision() {
    return vision;
  }

  public Transformer text() {
    return text;
  }
}
