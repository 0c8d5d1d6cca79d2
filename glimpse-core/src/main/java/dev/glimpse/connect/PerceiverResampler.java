package dev.glimpse.connect;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.nn.Attention;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Mlp;
import dev.glimpse.nn.Norm;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Flamingo's Perceiver Resampler as a connector: a fixed set of learned latents attends, layer by
 * layer, to the concatenation of the image's (or video frames') features and the latents themselves
 * (keys and values from both, queries from the latents), then a feed-forward; a final LayerNorm. Any
 * number of input tokens (any image size, any number of frames) becomes {@code latents} tokens. Frames
 * get a learned time embedding before they are flattened into one set of tokens.
 */
public final class PerceiverResampler implements Connector {
  private final ResamplerConfig config;
  private final Parameter latents;        // [R, D]
  private final Parameter timeEmbedding;  // [F, D]
  private final List<Layer> layers = new ArrayList<>();
  private final Norm outputNorm;

  private record Layer(Norm mediaNorm, Norm latentNorm, Attention attention, Norm mlpNorm, Mlp mlp) {}

  /** @param width the vision features' width, at which the resampler runs */
  public PerceiverResampler(ParameterStore.Scope scope, ResamplerConfig config, int width) {
    this.config = config;
    TransformerConfig stack = TransformerConfig.preLn(width, config.layers(), config.heads());
    this.latents = scope.token("latents", Init.normal(1.0), config.latents(), width);
    this.timeEmbedding = scope.token("time_embedding", Init.normal(0.02), config.frames(), width);
    for (int i = 0; i < config.layers(); i++) {
      ParameterStore.Scope s = scope.sub("layers", i);
      layers.add(new Layer(new Norm(s.sub("media_norm"), stack.norm(), width, stack.normEps()),
          new Norm(s.sub("latent_norm"), stack.norm(), width, stack.normEps()),
          new Attention(s.sub("attention"), stack, width),
          new Norm(s.sub("mlp_norm"), stack.norm(), width, stack.normEps()),
          new Mlp(s.sub("mlp"), width, stack.mlpHidden(), stack.activation(), false, false, stack.initStd())));
    }
    this.outputNorm = new Norm(scope.sub("output_norm"), stack.norm(), width, stack.normEps());
  }

  /** One image's features [B, S, D] to [B, R, D]. */
  @Override
  public NDArray forward(NDArray visualTokens) {
    Shape s = visualTokens.getShape();
    return forwardFrames(visualTokens.reshape(s.get(0), 1, s.get(1), s.get(2)));
  }

  /**
   * A video's (or image's, F = 1) features to latents.
   *
   * @param frames [B, F, S, D], F at most the configured frames
   * @return [B, R, D]
   */
  public NDArray forwardFrames(NDArray frames) {
    Shape s = frames.getShape();
    long b = s.get(0);
    long f = s.get(1);
    long d = s.get(3);
    if (f > config.frames()) {
      throw new IllegalArgumentException("the resampler has time embeddings for " + config.frames() + " frames, got "
          + f);
    }
    NDArray media = frames.add(timeEmbedding.array().get(":" + f).reshape(1, f, 1, d))         // [B, F, S, D]
        .reshape(b, f * s.get(2), d);                                                        // [B, F*S, D]
    NDArray x = latents.array().expandDims(0).repeat(0, b);                                  // [B, R, D]
    for (Layer layer : layers) {
      NDArray queries = layer.latentNorm().forward(x);
      NDArray keys = layer.mediaNorm().forward(media).concat(queries, 1);                   // [B, F*S + R, D]
      x = x.add(layer.attention().crossForward(queries, keys, null, null));
      x = x.add(layer.mlp().forward(layer.mlpNorm().forward(x)));
    }
    return outputNorm.forward(x);                                                            // [B, R, D]
  }

  @Override
  public int outputTokens(int inputTokens) {
    return config.latents();
  }

  public ResamplerConfig config() {
    return config;
  }
}
