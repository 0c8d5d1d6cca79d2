package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.glimpse.loss.Temperature;
import dev.glimpse.nn.AttentionMask;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Linear;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.VisionTransformer;
import java.util.List;

/**
 * CLIP: image and text embeddings in one space and their scaled cosine similarities. Not a captioner:
 * it scores image-text pairs (retrieval, zero-shot classification), serves as a vision tower, and
 * trains contrastively ({@code dev.glimpse.train.design.ClipDesign}: symmetric InfoNCE with the
 * learned temperature {@link #temperature}). HuggingFace's {@code CLIPModel} loads into this class.
 */
public final class ClipModel implements Embedder {
  /** CLIP clips the logit scale at 100 (a temperature of at least 0.01). */
  public static final double MAX_LOGIT_SCALE = 100;

  private final ClipConfig config;
  private final VisionTransformer vision;
  private final Linear visualProjection;
  private final ClipTextTower textTower;
  private final Linear textProjection;
  private final Parameter logitScale; // [1], log of the inverse temperature

  public ClipModel(ParameterStore.Scope scope, ClipConfig config) {
    this.config = config;
    double std = config.text().initStd();
    int textWidth = config.text().width();
    this.vision = new VisionTransformer(scope.sub("vision"), config.vision());
    this.visualProjection = new Linear(scope.sub("visual_projection"), config.vision().width(),
        config.projectionDim(), false, std);
    this.textTower = new ClipTextTower(scope, ClipTextConfig.of(config));
    this.textProjection = new Linear(scope.sub("text_projection"), textWidth, config.projectionDim(), false, std);
    this.logitScale = scope.token("logit_scale", Init.constant(Math.log(1 / 0.07)), 1);
  }

  public ClipConfig config() {
    return config;
  }

  /** Image tower output before the post-norm (HF {@code vision_model(...).last_hidden_state}): [B, N, D]. */
  public NDArray imageHidden(NDArray pixels, List<NDArray> hiddenStates) {
    return vision.encode(pixels, hiddenStates);
  }

  /** The post-normed CLS token (HF {@code pooler_output}): [B, N, D] -> [B, D]. */
  public NDArray imagePooled(NDArray imageHidden) {
    return vision.postNorm().forward(imageHidden.get(":, 0, :"));
  }

  /** Unnormalised image embeddings (HF {@code get_image_features}): pixels [B, 3, H, W] -> [B, P]. */
  public NDArray imageFeatures(NDArray pixels) {
    return visualProjection.forward(imagePooled(imageHidden(pixels, null)));
  }

  /** Projects pooled image tokens into the joint space: [B, Dv] -> [B, P]. */
  public NDArray projectImage(NDArray pooled) {
    return visualProjection.forward(pooled);
  }

  /** Projects pooled text tokens into the joint space: [B, Dt] -> [B, P]. */
  public NDArray projectText(NDArray pooled) {
    return textProjection.forward(pooled);
  }

  /**
   * Text tower output after the final norm: [B, T, D].
   *
   * @param ids [B, T] int64
   * @param valid [B, T] nonzero for real tokens (padding is masked as a key)
   * @param hiddenStates if not null, receives the embeddings and each block's output (before the final norm)
   */
  public NDArray textHidden(NDArray ids, NDArray valid, List<NDArray> hiddenStates) {
    return textTower.encodeEmbeddings(textTower.embedTokens(ids), valid, hiddenStates); // [B, T, D]
  }

  /** The end-of-text token of each row (HF {@code text_model(...).pooler_output}): [B, T, D] -> [B, D]. */
  public NDArray textPooled(NDArray ids, NDArray textHidden) {
    long[] values = ids.toLongArray();
    int b = (int) ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    long[] index = new long[b];
    for (int i = 0; i < b; i++) {
      index[i] = poolingPosition(values, i * t, t);
    }
    long d = textHidden.getShape().get(2);
    NDArray idx = ids.getManager().create(index).reshape(-1, 1, 1).repeat(2, d);  // [B, 1, D]
    return textHidden.gather(idx, 1).squeeze(1);
  }

  // HF: argmax(input_ids) for the legacy configs, else the first end-of-text position (0 if none).
  private int poolingPosition(long[] ids, int offset, int length) {
    int best = 0;
    for (int j = 0; j < length; j++) {
      long id = ids[offset + j];
      if (config.poolAtHighestId()) {
        if (id > ids[offset + best]) {
          best = j;
        }
      } else if (id == config.eosTokenId()) {
        return j;
      }
    }
    return best;
  }

  /** Unnormalised text embeddings (HF {@code get_text_features}): [B, T] -> [B, P]. */
  public NDArray textFeatures(NDArray ids, NDArray valid) {
    return textProjection.forward(textPooled(ids, textHidden(ids, valid, null)));
  }

  @Override
  public int embeddingDim() {
    return config.projectionDim();
  }

  @Override
  public int maxTextLength() {
    return config.maxTextPositions();
  }

  @Override
  public int imageTokens() {
    return config.vision().numTokens();
  }

  @Override
  public NDArray embedTexts(NDArray ids, NDArray valid) {
    return textFeatures(ids, valid);
  }

  @Override
  public NDArray embedImages(NDArray pixels) {
    return imageFeatures(pixels);
  }

  /** L2-normalised rows. */
  public static NDArray normalize(NDArray embeddings) {
    return embeddings.div(embeddings.norm(new int[] {-1}, true));
  }

  /** The learned temperature: {@code logit_scale} holds {@code log(1 / tau)}, the scale clipped at 100. */
  public Temperature temperature() {
    return new Temperature.Learned(logitScale, MAX_LOGIT_SCALE);
  }

  /** {@code [BOS] text [EOS]}, as CLIP's tokenizer writes it, at most {@code maxTextPositions} ids. */
  @Override
  public int[] textIds(int[] tokens, int bos) {
    int kept = Math.min(tokens.length, config.maxTextPositions() - 2);
    int[] ids = new int[kept + 2];
    ids[0] = bos;
    System.arraycopy(tokens, 0, ids, 1, kept);
    ids[kept + 1] = config.eosTokenId();
    return ids;
  }


  /** exp(logit_scale) * cos(image, text): [I, P] x [T, P] -> [I, T] (HF {@code logits_per_image}). */
  public NDArray logitsPerImage(NDArray imageEmbeds, NDArray textEmbeds) {
    NDArray scale = logitScale.array().exp();                                    // [1]
    return normalize(imageEmbeds).matMul(normalize(textEmbeds).transpose()).mul(scale);
  }

  public VisionTransformer vision() {
    return vision;
  }

  /** The text tower, as the text encoder a text-to-image model conditions on. */
  public ClipTextTower textTower() {
    return textTower;
  }
}
