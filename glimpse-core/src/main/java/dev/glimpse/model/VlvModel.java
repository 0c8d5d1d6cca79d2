package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.glimpse.connect.MlpProjector;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Linear;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.Transformer;
import dev.glimpse.nn.VisionTransformer;
import dev.glimpse.util.GlimpseException;

/**
 * VLV ({@link VlvConfig}). Parameters: the encoder ({@code encoder.vision.*}, {@code encoder.queries},
 * {@code encoder.adapter.*}, {@code encoder.projection.*}), the frozen diffusion decoder ({@code
 * decoder.text_encoder.*}, {@code decoder.denoiser.*}) and, from stage 2, the caption decoder ({@code
 * caption.projector.*}, and {@code caption.lm.*}: a language model of the {@code lm} design, its
 * parameters named as in its own checkpoint under that prefix).
 *
 * <pre>
 *   image -> ViT -> adapter(queries, image tokens) = z              [B, N_q, D_z]   caption embedding
 *   z -> projection -> CLIP text encoder (in place of word embeddings) = c   [B, N_q, D_clip]
 *   stage 1: c conditions the frozen denoiser (reconstruction)
 *   stage 2: [MLP(c) ; caption] through the causal language model (captioning)
 * </pre>
 */
public final class VlvModel implements CaptioningModel, EncodesImages {
  private final VlvConfig config;
  private final VisionTransformer vision;
  private final Parameter queries;          // [N_q, D_z]
  private final Transformer adapter;
  private final Linear projection;          // D_z -> D_clip input
  private final DiffusionModel decoder;
  private final MlpProjector captionProjector; // null before stage 2
  private final PrefixLm lm;                   // null before stage 2

  public VlvModel(ParameterStore.Scope scope, VlvConfig config) {
    config.checkFitsDecoder();
    this.config = config;
    ParameterStore.Scope encoder = scope.sub("encoder");
    this.vision = new VisionTransformer(encoder.sub("vision"), config.vision());
    int width = config.adapter().width();
    double std = config.adapter().initStd();
    this.queries = encoder.token("queries", Init.normal(std), config.queries(), width);
    this.adapter = new Transformer(encoder.sub("adapter"), config.adapter(), config.vision().width());
    this.decoder = new DiffusionModel(scope.sub("decoder"), config.decoder());
    this.projection = new Linear(encoder.sub("projection"), width, decoder.textEncoder().inputWidth(), true, std);
    if (config.captioner() != null) {
      VlvCaptionConfig c = config.captioner();
      LanguageModelConfig lmConfig = c.languageModel();
      this.captionProjector = new MlpProjector(scope.sub("caption.projector"), decoder.textEncoder().width(),
          lmConfig.embeddingWidth(), ActivationType.GELU, lmConfig.text().initStd());
      this.lm = new PrefixLm(scope.sub("caption.lm"), lmConfig);
    } else {
      this.captionProjector = null;
      this.lm = null;
    }
  }

  public VlvConfig config() {
    return config;
  }

  /** The caption embedding z: pixels [B, 3, H, W] -> [B, N_q, D_z]. */
  public NDArray captionEmbedding(NDArray pixels) {
    NDArray image = vision.forward(pixels);                                        // [B, N, D_v]
    long b = pixels.getShape().get(0);
    NDArray q = queries.array().expandDims(0).repeat(0, b);                       // [B, N_q, D_z]
    return adapter.forward(q, null, null, null, image, null);                     // [B, N_q, D_z]
  }

  /** z in the text encoder's input-embedding space: [B, N_q, D_z] -> [B, N_q, D_in]. */
  public NDArray textInputs(NDArray captionEmbedding) {
    return projection.forward(captionEmbedding);
  }

  /** The decoder's condition c = T(projection(z)): [B, N_q, D_clip], every position real. */
  @Override
  public Condition condition(NDArray pixels) {
    return new Condition(decoder.textEncoder().encodeEmbeddings(textInputs(captionEmbedding(pixels)), null), null);
  }

  @Override
  public DiffusionModel imageDecoder() {
    return decoder;
  }

  /** From stage 2 the model's tokenizer is the language model's; the decoder reads prompts with its own. */
  @Override
  public boolean decoderHasOwnTokenizer() {
    return captions();
  }

  /** Whether the model has its caption decoder (stage 2). */
  public boolean captions() {
    return lm != null;
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  @Override
  public NDArray forward(NDArray pixels, NDArray ids, NDArray valid) {
    return requireLm().logits(prefix(pixels), ids, valid);                       // [B, T, V]
  }

  @Override
  public DecodeState prefill(NDArray pixels, NDArray promptIds, NDArray promptValid, boolean useCache) {
    return requireLm().prefill(prefix(pixels), promptIds, promptValid, useCache);
  }

  @Override
  public void step(DecodeState state, long[] ids, NDManager manager) {
    requireLm().step(state, ids, manager);
  }

  @Override
  public int maxTextLength() {
    return config.maxTextLength();
  }

  // the language model's prefix: MLP(c), [B, N_q, D_clip] -> [B, N_q, D_lm]
  private NDArray prefix(NDArray pixels) {
    return captionProjector.forward(condition(pixels).context());
  }

  private PrefixLm requireLm() {
    if (lm == null) {
      throw new GlimpseException("this VLV model has no caption decoder yet (stage 1 reconstructs images; train stage 2 "
          + "to caption, see docs/vlv.md)");
    }
    return lm;
  }
}
