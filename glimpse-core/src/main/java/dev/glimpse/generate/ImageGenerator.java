package dev.glimpse.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.Condition;
import dev.glimpse.model.DiffusionConfig;
import dev.glimpse.model.DiffusionModel;
import dev.glimpse.model.EncodesImages;
import dev.glimpse.tokenize.TextInputs;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.util.Progress;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Images from a diffusion decoder, in batches: from text prompts, or from images read back through a
 * model's own condition (VLV's caption embedding). DDIM with classifier-free guidance against the empty
 * prompt; image {@code k} starts from noise drawn from {@code seed + k}, so an image does not depend on
 * the batch it was made in.
 */
public final class ImageGenerator {
  /**
   * @param steps DDIM steps
   * @param guidance classifier-free guidance scale (1: the conditional prediction alone)
   * @param eta DDIM's eta (0: deterministic)
   * @param seed seed of the first image's starting noise (image k: seed + k)
   */
  public record Settings(int steps, double guidance, double eta, long seed) {
    public Settings {
      if (steps < 1) {
        throw new IllegalArgumentException("steps must be >= 1, got " + steps);
      }
      if (!(guidance >= 0) || Double.isInfinite(guidance)) {
        throw new IllegalArgumentException("guidance must be >= 0, got " + guidance);
      }
      if (!(eta >= 0 && eta <= 1)) {
        throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
      }
    }

    /** The decoder's own defaults (its config's steps and guidance), deterministic, seed 0. */
    public static Settings defaults(DiffusionConfig config) {
      return new Settings(config.samplingSteps(), config.guidanceScale(), 0, 0);
    }
  }

  private final DiffusionModel decoder;
  private final Tokenizer tokenizer;
  private final NDManager manager;
  private final boolean quiet;

  /**
   * @param tokenizer the decoder's text encoder's tokenizer (prompts and the empty prompt of guidance)
   * @param quiet no progress bar
   */
  public ImageGenerator(DiffusionModel decoder, Tokenizer tokenizer, NDManager manager, boolean quiet) {
    this.decoder = decoder;
    this.tokenizer = tokenizer;
    this.manager = manager;
    this.quiet = quiet;
  }

  /**
   * One image per prompt; a prompt that is empty or longer than the text encoder takes is an error
   * naming it (checked for all prompts before any work).
   */
  public List<BufferedImage> fromPrompts(List<String> prompts, Settings settings, int batchSize) {
    int maxLength = decoder.textEncoder().maxLength();
    List<int[]> ids = new ArrayList<>();
    for (String prompt : prompts) {
      ids.add(TextInputs.prompt(tokenizer, prompt, maxLength));
    }
    return generate(prompts.size(), settings, batchSize, (range, m) -> encode(ids.subList(range[0], range[1]), m));
  }

  /**
   * One image per text as a model wrote it (a generated caption): an empty text is the empty prompt and
   * a text longer than the text encoder takes is cut, keeping its end token.
   */
  public List<BufferedImage> fromTexts(List<String> texts, Settings settings, int batchSize) {
    int maxLength = decoder.textEncoder().maxLength();
    List<int[]> ids = new ArrayList<>();
    for (String text : texts) {
      int[] framed = TextInputs.framed(tokenizer, text == null ? "" : text.trim());
      if (framed.length > maxLength) {
        int end = framed[framed.length - 1];
        framed = java.util.Arrays.copyOf(framed, maxLength);
        framed[maxLength - 1] = end;
      }
      ids.add(framed);
    }
    return generate(texts.size(), settings, batchSize, (range, m) -> encode(ids.subList(range[0], range[1]), m));
  }

  /**
   * One reconstruction per image through the model's condition of the image itself ({@link
   * EncodesImages}), the image prepared by {@code transform}.
   */
  public List<BufferedImage> fromImages(EncodesImages model, ImageTransform transform, List<BufferedImage> images,
      Settings settings, int batchSize) {
    return generate(images.size(), settings, batchSize, (range, m) -> {
      List<BufferedImage> batch = images.subList(range[0], range[1]);
      float[] pixels = new float[batch.size() * transform.floats()];
      for (int i = 0; i < batch.size(); i++) {
        transform.apply(batch.get(i), pixels, i * transform.floats());
      }
      return model.condition(m.create(pixels, new Shape(batch.size(), 3, transform.height(), transform.width())));
    });
  }

  /** The condition of rows [from, to) of the work, made in the given manager. */
  @FunctionalInterface
  private interface Conditions {
    Condition of(int[] range, NDManager manager);
  }

  private List<BufferedImage> generate(int count, Settings settings, int batchSize, Conditions conditions) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    DdimSampler sampler = new DdimSampler(decoder.process());
    DdimSampler.Settings ddim = new DdimSampler.Settings(settings.steps(), settings.eta(), decoder.config().clipSample());
    int side = decoder.config().imageSize();
    int channels = decoder.config().denoiser().channels();
    List<BufferedImage> out = new ArrayList<>(count);
    long total = (long) settings.steps() * ((count + batchSize - 1) / batchSize);
    try (Progress progress = new Progress("generate", 0, Math.max(1, total), quiet)) {
      for (int start = 0; start < count; start += batchSize) {
        int end = Math.min(count, start + batchSize);
        int b = end - start;
        try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager()) {
          scope.suppressNotUsedWarning();
          Condition conditional = conditions.of(new int[] {start, end}, batch);
          Condition unconditional = settings.guidance() == 1 ? null
              : encode(java.util.Collections.nCopies(b, TextInputs.framed(tokenizer, "")), batch);
          NDArray noise = batch.create(startingNoise(start, b, channels * side * side, settings.seed()),
              new Shape(b, channels, side, side));
          long done = (long) settings.steps() * (start / batchSize);
          NDArray images = sampler.sample(noise,
              (x, t) -> decoder.guidedNoise(x, t, conditional, unconditional, settings.guidance()), ddim,
              DdimSampler.StepNoise.seeded(settings.seed() * 31 + start), step -> progress.step(done + step, ""));
          out.addAll(GeneratedImages.toImages(images));
        }
      }
    }
    return out;
  }

  // the starting noise of images start..start+b-1, each from its own seed
  private static float[] startingNoise(int start, int b, int perImage, long seed) {
    float[] values = new float[b * perImage];
    for (int i = 0; i < b; i++) {
      SplittableRandom random = new SplittableRandom(seed + start + i);
      for (int k = 0; k < perImage; k++) {
        values[i * perImage + k] = (float) random.nextGaussian();
      }
    }
    return values;
  }

  // framed prompts (right-padded) through the decoder's text encoder
  private Condition encode(List<int[]> prompts, NDManager m) {
    int longest = prompts.stream().mapToInt(p -> p.length).max().orElse(2);
    long[] ids = new long[prompts.size() * longest];
    float[] valid = new float[prompts.size() * longest];
    java.util.Arrays.fill(ids, tokenizer.special().pad());
    for (int i = 0; i < prompts.size(); i++) {
      for (int j = 0; j < prompts.get(i).length; j++) {
        ids[i * longest + j] = prompts.get(i)[j];
        valid[i * longest + j] = 1;
      }
    }
    Shape shape = new Shape(prompts.size(), longest);
    return decoder.encodePrompts(m.create(ids, shape), m.create(valid, shape));
  }
}
