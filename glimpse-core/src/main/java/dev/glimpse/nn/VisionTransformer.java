package dev.glimpse.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * ViT: patch embedding, optional CLS token, learned position table (bilinearly interpolated to the
 * patch grid when the image size differs from the trained size), transformer stack.
 */
public final class VisionTransformer {
  private final VisionConfig config;
  private final PatchEmbed patchEmbed; // null with a conv stem
  private final ConvStem convStem;     // null with the patch stem
  private final Parameter classToken;        // [D] or null
  private final Parameter positionEmbedding; // [(1) + g*g, D]
  private final Norm preNorm;
  private final Transformer encoder;
  private final Norm postNorm;

  public VisionTransformer(ParameterStore.Scope scope, VisionConfig config) {
    this.config = config;
    int width = config.width();
    double std = config.encoder().initStd();
    // Fan-in scaled patch projection: patch tokens start with unit-scale content, comparable to the
    // sin-cos positions below, so neither drowns the other.
    double patchStd = 1.0 / Math.sqrt((double) config.channels() * config.patchSize() * config.patchSize());
    this.patchEmbed = config.convStem() ? null : new PatchEmbed(scope.sub("patch_embed"), config.channels(),
        config.patchSize(), width, config.patchBias(), patchStd);
    this.convStem = config.convStem() ? new ConvStem(scope.sub("conv_stem"), config.channels(), config.patchSize(),
        width, config.deepConvStem(), config.stemStageChannels(), config.patchifySize()) : null;
    this.classToken = config.classToken() ? scope.token("class_token", Init.normal(std), width) : null;
    int grid = config.gridSize();
    Init positionInit = width % 4 == 0
        ? Init.sinCos2d(grid, grid, width, config.classToken() ? 1 : 0)
        : Init.normal(std);
    this.positionEmbedding = scope.token("position_embedding", positionInit, config.numTokens(), width);
    TransformerConfig enc = config.encoder();
    this.preNorm = config.preNorm() ? new Norm(scope.sub("pre_norm"), enc.norm(), width, enc.normEps()) : null;
    this.encoder = new Transformer(scope.sub("encoder"), enc);
    this.postNorm = config.postNorm() ? new Norm(scope.sub("post_norm"), enc.norm(), width, enc.normEps()) : null;
  }

  /** images [B, C, H, W] -> tokens [B, (1) + (H/p)*(W/p), D]. */
  public NDArray forward(NDArray images) {
    return forward(images, null);
  }

  /**
   * @param hiddenStates if not null, receives the embeddings (after the pre-norm) and each block's
   *     output, as HuggingFace's {@code output_hidden_states}
   */
  public NDArray forward(NDArray images, List<NDArray> hiddenStates) {
    return finish(encoder.forward(embed(images), null, null, null, null, hiddenStates));
  }

  /**
   * Embeddings and encoder without the post-norm: CLIP's {@code last_hidden_state} (CLIP applies its
   * post-norm to the pooled CLS token only, LLaVA not at all). images [B, C, H, W] -> [B, N, D].
   *
   * @param hiddenStates if not null, receives the embeddings and each block's output
   */
  public NDArray encode(NDArray images, List<NDArray> hiddenStates) {
    return encoder.forward(embed(images), null, null, null, null, hiddenStates);
  }

  /**
   * One entry of HuggingFace's {@code hidden_states}: index 0 is the embeddings, i the output of
   * block i-1, negative indices count from the end (LLaVA's {@code vision_feature_layer = -2} is the
   * output of the second-to-last block). Only the needed blocks run.
   */
  public NDArray hiddenState(NDArray images, int index) {
    return encoder.forwardBlocks(embed(images), null, blocksFor(index));
  }

  /** Blocks to run for hidden-state {@code index} (see {@link #hiddenState}). */
  public int blocksFor(int index) {
    int layers = encoder.numLayers();
    int blocks = index < 0 ? layers + 1 + index : index;
    if (blocks < 0 || blocks > layers) {
      throw new IllegalArgumentException("hidden state " + index + " does not exist in a " + layers + "-layer encoder");
    }
    return blocks;
  }

  /** Patch + CLS + position embeddings (+ pre-norm): [B, N, D]. */
  public NDArray embed(NDArray images) {
    long batch = images.getShape().get(0);
    int gridH = (int) images.getShape().get(2) / config.patchSize();
    int gridW = (int) images.getShape().get(3) / config.patchSize();
    NDArray tokens = patchEmbed != null ? patchEmbed.forward(images)   // [B, gh*gw, D]
        : convStem.forward(images);
    if (classToken != null) {
      NDArray cls = classToken.array().reshape(1, 1, config.width()).repeat(0, batch); // [B, 1, D]
      tokens = cls.concat(tokens, 1);                                   // [B, 1 + gh*gw, D]
    }
    tokens = tokens.add(positions(gridH, gridW).expandDims(0));
    return preNorm == null ? tokens : preNorm.forward(tokens);
  }

  /** Applies the post-norm (if any) to encoder outputs. */
  public NDArray finish(NDArray encoded) {
    return postNorm == null ? encoded : postNorm.forward(encoded);
  }

  /** Position table for a gh x gw grid: [(1) + gh*gw, D]. */
  public NDArray positions(int gridH, int gridW) {
    NDArray table = positionEmbedding.array();
    int g = config.gridSize();
    if (gridH == g && gridW == g) {
      return table;
    }
    int offset = classToken == null ? 0 : 1;
    long width = config.width();
    NDArray grid = table.get(offset + ":")                            // [g*g, D]
        .reshape(g, g, width).transpose(2, 0, 1).expandDims(0);       // [1, D, g, g]
    NDArray resized = grid.getNDArrayInternal()
        .interpolation(new long[] {gridH, gridW}, 1, false)           // bilinear -> [1, D, gh, gw]
        .squeeze(0).transpose(1, 2, 0).reshape((long) gridH * gridW, width);
    return offset == 0 ? resized : table.get(":1").concat(resized, 0);
  }

  /** The post-norm (null when the config has none). */
  public Norm postNorm() {
    return postNorm;
  }

  public VisionConfig config() {
    return config;
  }

  public Transformer encoder() {
    return encoder;
  }

  /** Tokens produced for an image of the given size. */
  public int numTokens(int height, int width) {
    return (height / config.patchSize()) * (width / config.patchSize()) + (classToken == null ? 0 : 1);
  }
}
