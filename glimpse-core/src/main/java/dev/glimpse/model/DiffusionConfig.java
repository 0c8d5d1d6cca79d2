package dev.glimpse.model;

/**
 * A text-to-image diffusion model in pixel space (the frozen decoder VLV distils from): a frozen CLIP
 * text encoder turns the prompt into per-token context vectors, a DiT predicts the noise of a noisy
 * image given the timestep and the context. Trained with the denoising loss and condition dropout
 * (the caption replaced by the empty prompt), sampled with DDIM and classifier-free guidance. See
 * docs/diffusion.md.
 *
 * @param textEncoder the CLIP text tower (taken from a CLIP checkpoint and frozen in the recipes)
 * @param denoiser the noise predictor
 * @param schedule the noising process
 * @param conditionDropout training: chance that an example's caption is replaced by the empty prompt,
 *     so that the same model also predicts unconditionally (classifier-free guidance; 0.1 in most work)
 * @param guidanceScale sampling default: s in eps = u + s (c - u); 1 is the conditional prediction alone
 * @param samplingSteps sampling default: DDIM steps
 * @param clipSample sampling default: clip each step's clean-image estimate to [-1, 1]
 */
public record DiffusionConfig(ClipTextConfig textEncoder, DenoiserConfig denoiser, NoiseSchedule schedule,
    double conditionDropout, double guidanceScale, int samplingSteps, boolean clipSample) implements ModelConfig {
  public static final String TYPE = "diffusion";

  public DiffusionConfig {
    if (textEncoder == null || denoiser == null || schedule == null) {
      throw new IllegalArgumentException("a diffusion model needs textEncoder, denoiser and schedule configs");
    }
    if (!(conditionDropout >= 0 && conditionDropout < 1)) {
      throw new IllegalArgumentException("conditionDropout must be in [0, 1), got " + conditionDropout);
    }
    if (!(guidanceScale >= 0) || Double.isInfinite(guidanceScale)) {
      throw new IllegalArgumentException("guidanceScale must be >= 0, got " + guidanceScale);
    }
    if (samplingSteps < 1 || samplingSteps > schedule.timesteps()) {
      throw new IllegalArgumentException("samplingSteps must be in 1.." + schedule.timesteps() + ", got "
          + samplingSteps);
    }
  }

  /** This model with defaults for the rest: cosine schedule of 1000 steps, dropout 0.1, guidance 3, 50 DDIM steps, clipped. */
  public static DiffusionConfig of(ClipTextConfig textEncoder, DenoiserConfig denoiser) {
    return new DiffusionConfig(textEncoder, denoiser, NoiseSchedule.cosine(1000), 0.1, 3, 50, true);
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  @Override
  public int vocabSize() {
    return textEncoder.vocabSize();
  }

  @Override
  public DiffusionConfig withVocabSize(int n) {
    return withTextEncoder(new ClipTextConfig(textEncoder.text(), n, textEncoder.maxPositions()));
  }

  /** The same model conditioned through another text encoder (one taken from a CLIP checkpoint). */
  public DiffusionConfig withTextEncoder(ClipTextConfig encoder) {
    return new DiffusionConfig(encoder, denoiser, schedule, conditionDropout, guidanceScale, samplingSteps, clipSample);
  }

  public DiffusionConfig withSchedule(NoiseSchedule s) {
    return new DiffusionConfig(textEncoder, denoiser, s, conditionDropout, guidanceScale, samplingSteps, clipSample);
  }

  public DiffusionConfig withSampling(double guidance, int steps) {
    return new DiffusionConfig(textEncoder, denoiser, schedule, conditionDropout, guidance, steps, clipSample);
  }

  public DiffusionConfig withConditionDropout(double p) {
    return new DiffusionConfig(textEncoder, denoiser, schedule, p, guidanceScale, samplingSteps, clipSample);
  }

  @Override
  public int imageSize() {
    return denoiser.imageSize();
  }

  @Override
  public int maxTextLength() {
    return textEncoder.maxPositions();
  }
}
