package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Linear;
import dev.glimpse.nn.ModulatedBlock;
import dev.glimpse.nn.Norm;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.PatchEmbed;
import dev.glimpse.nn.TimestepEmbedding;
import java.util.ArrayList;
import java.util.List;

/**
 * DiT noise predictor: noisy image -> patch tokens (+ learned 2D positions, sin-cos at the start) ->
 * adaLN-Zero blocks conditioned on the timestep and cross-attending to the context -> a modulated final
 * norm and a zero-initialised linear map back to pixels of each patch. Predicts eps.
 */
public final class DiffusionTransformer {
  private final DenoiserConfig config;
  private final PatchEmbed patchEmbed;
  private final Parameter positions;                // [N, D]
  private final TimestepEmbedding time;
  private final List<ModulatedBlock> blocks = new ArrayList<>();
  private final Norm finalNorm;
  private final Linear finalModulation;             // [D] -> shift, scale [2 D]
  private final Linear output;                      // [D] -> C p p

  public DiffusionTransformer(ParameterStore.Scope scope, DenoiserConfig config, int contextWidth) {
    this.config = config;
    int width = config.width();
    int p = config.patchSize();
    double std = config.stack().initStd();
    this.patchEmbed = new PatchEmbed(scope.sub("patch_embed"), config.channels(), p, width, true,
        1.0 / Math.sqrt((double) config.channels() * p * p));
    int grid = config.gridSize();
    this.positions = scope.token("position_embedding",
        width % 4 == 0 ? Init.sinCos2d(grid, grid, width, 0) : Init.normal(std), (long) grid * grid, width);
    this.time = new TimestepEmbedding(scope.sub("time_embedding"), config.timeFrequencies(), width, std);
    for (int i = 0; i < config.stack().layers(); i++) {
      blocks.add(new ModulatedBlock(scope.sub("blocks", i), config.stack(), contextWidth));
    }
    this.finalNorm = new Norm(scope.sub("final_norm"), config.stack().norm(), width, config.stack().normEps());
    this.finalModulation = new Linear(scope.sub("final_modulation"), width, 2L * width, true, Init.zeros());
    this.output = new Linear(scope.sub("output"), width, (long) config.channels() * p * p, true, Init.zeros());
  }

  public DenoiserConfig config() {
    return config;
  }

  /**
   * @param noisy x_t [B, C, H, W]
   * @param timesteps t per row
   * @param context [B, S, D_ctx]
   * @param contextMask additive key mask [B, 1, 1, S], or null when every context position is real
   * @return predicted eps [B, C, H, W]
   */
  public NDArray forward(NDArray noisy, int[] timesteps, NDArray context, NDArray contextMask) {
    long b = noisy.getShape().get(0);
    int side = config.imageSize();
    if (noisy.getShape().dimension() != 4 || noisy.getShape().get(1) != config.channels()
        || noisy.getShape().get(2) != side || noisy.getShape().get(3) != side) {
      throw new IllegalArgumentException("the denoiser takes [B, " + config.channels() + ", " + side + ", " + side
          + "], got " + noisy.getShape());
    }
    NDArray x = patchEmbed.forward(noisy).add(positions.array());                // [B, N, D]
    NDArray condition = time.forward(noisy.getManager(), timesteps);              // [B, D]
    for (ModulatedBlock block : blocks) {
      x = block.forward(x, condition, context, contextMask);                    // [B, N, D]
    }
    NDList shiftScale = finalModulation.forward(ActivationType.SILU.apply(condition)).expandDims(1).split(2, 2);
    x = finalNorm.forward(x).mul(shiftScale.get(1).add(1f)).add(shiftScale.get(0));
    return unpatchify(output.forward(x), b);                                      // [B, C, H, W]
  }

  // [B, gh*gw, C*p*p] (channel, row, column within a patch) -> [B, C, H, W]
  private NDArray unpatchify(NDArray patches, long b) {
    int g = config.gridSize();
    int p = config.patchSize();
    int c = config.channels();
    return patches.reshape(b, g, g, c, p, p)         // [B, gy, gx, C, py, px]
        .transpose(0, 3, 1, 4, 2, 5)                  // [B, C, gy, py, gx, px]
        .reshape(b, c, (long) g * p, (long) g * p);
  }
}
