package dev.glimpse.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.glimpse.nn.ParameterStore;

/**
 * A text-to-image diffusion model ({@link DiffusionConfig}): a CLIP text tower ({@code text_encoder.*})
 * gives the prompt's context, a DiT ({@code denoiser.*}) predicts the noise of x_t given t and the
 * context. Classifier-free guidance combines the conditional and the unconditional (empty prompt)
 * predictions.
 */
public final class DiffusionModel implements GeneratesImages {
  private final DiffusionConfig config;
  private final ClipTextTower textEncoder;
  private final DiffusionTransformer denoiser;
  private final DiffusionProcess process;

  public DiffusionModel(ParameterStore.Scope scope, DiffusionConfig config) {
    this.config = config;
    this.textEncoder = new ClipTextTower(scope.sub("text_encoder"), config.textEncoder());
    this.denoiser = new DiffusionTransformer(scope.sub("denoiser"), config.denoiser(), config.textEncoder().width());
    this.process = new DiffusionProcess(config.schedule());
  }

  public DiffusionConfig config() {
    return config;
  }

  public TextEncoder textEncoder() {
    return textEncoder;
  }

  public DiffusionProcess process() {
    return process;
  }

  @Override
  public DiffusionModel imageDecoder() {
    return this;
  }

  /** The condition of tokenised prompts: ids [B, S] (BOS ... EOS, padded), valid [B, S] -> context [B, S, D]. */
  public Condition encodePrompts(NDArray ids, NDArray valid) {
    return new Condition(textEncoder.encode(ids, valid), valid);
  }

  /**
   * eps_theta(x_t, t, c).
   *
   * @param noisy x_t [B, C, H, W]
   * @param timesteps t per row
   */
  public NDArray predictNoise(NDArray noisy, int[] timesteps, Condition condition) {
    return denoiser.forward(noisy, timesteps, condition.context(), condition.keyMask());
  }

  /**
   * Classifier-free guidance (Ho and Salimans 2022) at one timestep for the whole batch: {@code u + s
   * (c - u)}, with both predictions from one forward pass over twice the batch. At s = 1 it is the
   * conditional prediction alone (and only that is computed).
   */
  public NDArray guidedNoise(NDArray noisy, int timestep, Condition conditional, Condition unconditional,
      double scale) {
    int b = (int) noisy.getShape().get(0);
    if (scale == 1) {
      return predictNoise(noisy, constant(b, timestep), conditional);
    }
    NDArray both = predictNoise(noisy.concat(noisy, 0), constant(2 * b, timestep), conditional.concat(unconditional));
    NDList halves = both.split(2, 0);                                             // 2 x [B, C, H, W]
    return Guidance.combine(halves.get(0), halves.get(1), scale);
  }

  private static int[] constant(int n, int value) {
    int[] out = new int[n];
    java.util.Arrays.fill(out, value);
    return out;
  }
}
