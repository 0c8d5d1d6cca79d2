package dev.glimpse.data;

import dev.glimpse.tokenize.SpecialTokens;
import dev.glimpse.tokenize.Tokenizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns examples into {@link LmBatch}es: images through the {@link ImageTransform}, text as
 * {@code [BOS] prompt target [EOS]}, with the loss counted on the target and EOS only.
 */
public final class LmBatcher implements ExampleBatcher<LmBatch> {
  private final Tokenizer tokenizer;
  private final ImageTransform transform;
  private final int maxTokens;
  private final int frames;
  private final double firstTargetProbability;

  /**
   * @param maxTokens longest sequence including BOS and EOS (longer ones are truncated)
   * @param frames frames per example for video (1 for images); clips are padded by repeating the last frame
   */
  public LmBatcher(Tokenizer tokenizer, ImageTransform transform, int maxTokens, int frames) {
    this(tokenizer, transform, maxTokens, frames, 0);
  }

  /**
   * @param firstTargetProbability chance of training on an example's consensus reference rather than a
   *     uniformly drawn one: the most frequent of its references, the earliest on ties, so the first
   *     one when all differ (the canonical caption of a synthetic scene) and the majority answer of
   *     VQA's ten annotator answers
   */
  public LmBatcher(Tokenizer tokenizer, ImageTransform transform, int maxTokens, int frames,
      double firstTargetProbability) {
    this.firstTargetProbability = firstTargetProbability;
    this.tokenizer = tokenizer;
    this.transform = transform;
    this.maxTokens = maxTokens;
    this.frames = frames;
  }

  /**
   * One example's text: {@code [BOS] prompt target [EOS]} truncated to the longest sequence, and how
   * many leading ids (BOS + prompt) carry no loss.
   */
  public record Tokens(int[] sequence, int promptLength) {}

  /** The example's text; its target is drawn from its references with {@code random}. */
  public Tokens tokens(Example ex, SplittableRandom random) {
    SpecialTokens special = tokenizer.special();
    String target = "";
    if (!ex.targets().isEmpty()) {
      boolean first = firstTargetProbability > 0 && random.nextDouble() < firstTargetProbability;
      target = first ? consensus(ex.targets()) : ex.targets().get(random.nextInt(ex.targets().size()));
    }
    int[] prompt = ex.prompt().isEmpty() ? new int[0] : tokenizer.encode(ex.prompt());
    int[] answer = tokenizer.encode(target);
    int[] seq = new int[1 + prompt.length + answer.length + 1];
    seq[0] = special.bos();
    System.arraycopy(prompt, 0, seq, 1, prompt.length);
    System.arraycopy(answer, 0, seq, 1 + prompt.length, answer.length);
    seq[seq.length - 1] = special.eos();
    if (seq.length > maxTokens) {
      seq = java.util.Arrays.copyOf(seq, maxTokens);
    }
    return new Tokens(seq, 1 + prompt.length);
  }

  /** The most frequent reference; the earliest of the most frequent on ties. */
  static String consensus(List<String> references) {
    Map<String, Integer> counts = new HashMap<>();
    for (String r : references) {
      counts.merge(r, 1, Integer::sum);
    }
    String best = references.get(0);
    for (String r : references) {
      if (counts.get(r) > counts.get(best)) {
        best = r;
      }
    }
    return best;
  }

  /** The padding id of the tokenizer. */
  public int padId() {
    return tokenizer.special().pad();
  }

  public ImageTransform transform() {
    return transform;
  }

  /**
   * Builds a batch; each example's target is drawn from its references with {@code random}
   * (deterministic for a seeded generator).
   */
  @Override
  public LmBatch batch(List<Example> examples, SplittableRandom random) {
    int b = examples.size();
    SpecialTokens special = tokenizer.special();
    int[][] sequences = new int[b][];
    int[] promptLengths = new int[b];
    int length = 0;
    for (int i = 0; i < b; i++) {
      Tokens tokens = tokens(examples.get(i), random);
      sequences[i] = tokens.sequence();
      promptLengths[i] = tokens.promptLength();
      length = Math.max(length, tokens.sequence().length - 1);
    }
    long[] inputIds = new long[b * length];
    long[] targetIds = new long[b * length];
    float[] weights = new float[b * length];
    float[] valid = new float[b * length];
    java.util.Arrays.fill(inputIds, special.pad());
    java.util.Arrays.fill(targetIds, special.pad());
    String[] ids = new String[b];
    for (int i = 0; i < b; i++) {
      int[] seq = sequences[i];
      ids[i] = examples.get(i).id();
      for (int t = 0; t < seq.length - 1; t++) {
        inputIds[i * length + t] = seq[t];
        targetIds[i * length + t] = seq[t + 1];
        valid[i * length + t] = 1;
        // position t predicts token t+1, which belongs to the target when t+1 >= promptLength
        weights[i * length + t] = t + 1 >= promptLengths[i] ? 1 : 0;
      }
    }
    long[] pixelShape;
    float[] pixels;
    int perImage = transform.floats();
    if (frames <= 1) {
      pixelShape = new long[] {b, 3, transform.height(), transform.width()};
      pixels = new float[b * perImage];
      for (int i = 0; i < b; i++) {
        transform.apply(examples.get(i).image(), pixels, i * perImage);
      }
    } else {
      pixelShape = new long[] {b, frames, 3, transform.height(), transform.width()};
      pixels = new float[b * frames * perImage];
      for (int i = 0; i < b; i++) {
        List<java.awt.image.BufferedImage> clip = examples.get(i).frames();
        for (int f = 0; f < frames; f++) {
          transform.apply(clip.get(Math.min(f, clip.size() - 1)), pixels, (i * frames + f) * perImage);
        }
      }
    }
    return new LmBatch(pixelShape, pixels, b, length, inputIds, targetIds, weights, valid, ids);
  }
}
