package dev.glimpse.data;

import dev.glimpse.tokenize.TextInputs;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.util.GlimpseException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns examples into {@link DenoisingBatch}es: each image through the {@link ImageTransform}, a
 * timestep drawn uniformly from 0..T-1 and standard normal noise, all from the batch's stream. With
 * {@link Captions}, each image's caption (the first reference with {@code firstTargetProbability},
 * else one drawn among them; the empty prompt with {@code conditionDropout}) as text-encoder input;
 * without, the batcher reads the images alone and never an example's texts (VLV stage 1 learns from
 * images alone).
 */
public final class DenoisingBatcher implements ExampleBatcher<DenoisingBatch> {
  /**
   * How captions become prompts.
   *
   * @param maxLength the text encoder's positions (a longer caption is cut, keeping its EOS)
   * @param conditionDropout chance of the empty prompt instead of the caption
   * @param firstTargetProbability chance of the first reference rather than a drawn one
   */
  public record Captions(Tokenizer tokenizer, int maxLength, double conditionDropout, double firstTargetProbability) {}

  private final ImageTransform transform;
  private final int timesteps;
  private final Captions captions; // null: images alone

  public DenoisingBatcher(ImageTransform transform, int timesteps, Captions captions) {
    if (timesteps < 1) {
      throw new IllegalArgumentException("timesteps must be >= 1, got " + timesteps);
    }
    this.transform = transform;
    this.timesteps = timesteps;
    this.captions = captions;
  }

  /** Images alone, no text read. */
  public static DenoisingBatcher imagesOnly(ImageTransform transform, int timesteps) {
    return new DenoisingBatcher(transform, timesteps, null);
  }

  @Override
  public DenoisingBatch batch(List<Example> examples, SplittableRandom random) {
    int b = examples.size();
    int per = transform.floats();
    float[] pixels = new float[b * per];
    int[] steps = new int[b];
    float[] noise = new float[b * per];
    int[][] prompts = captions == null ? null : new int[b][];
    int longest = 0;
    for (int i = 0; i < b; i++) {
      Example ex = examples.get(i);
      transform.apply(ex.image(), pixels, i * per);
      steps[i] = random.nextInt(timesteps);
      for (int k = 0; k < per; k++) {
        noise[i * per + k] = (float) random.nextGaussian();
      }
      if (captions != null) {
        prompts[i] = prompt(ex, random);
        longest = Math.max(longest, prompts[i].length);
      }
    }
    long[] shape = {b, 3, transform.height(), transform.width()};
    if (captions == null) {
      return new DenoisingBatch(b, shape, pixels, steps, noise, null, null, 0);
    }
    long[] ids = new long[b * longest];
    float[] valid = new float[b * longest];
    java.util.Arrays.fill(ids, captions.tokenizer().special().pad());
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < prompts[i].length; j++) {
        ids[i * longest + j] = prompts[i][j];
        valid[i * longest + j] = 1;
      }
    }
    return new DenoisingBatch(b, shape, pixels, steps, noise, ids, valid, longest);
  }

  // [BOS] caption [EOS], or [BOS] [EOS] under condition dropout; cut to the encoder's positions
  private int[] prompt(Example ex, SplittableRandom random) {
    List<String> references = ex.targets();
    if (references.isEmpty()) {
      throw new GlimpseException("example " + ex.id() + " has no caption to condition the image on");
    }
    boolean first = random.nextDouble() < captions.firstTargetProbability();
    String caption = first ? references.get(0) : references.get(random.nextInt(references.size()));
    boolean dropped = random.nextDouble() < captions.conditionDropout();
    int[] ids = TextInputs.framed(captions.tokenizer(), dropped ? "" : caption);
    if (ids.length > captions.maxLength()) {
      int[] cut = java.util.Arrays.copyOf(ids, captions.maxLength());
      cut[cut.length - 1] = ids[ids.length - 1];
      return cut;
    }
    return ids;
  }
}
