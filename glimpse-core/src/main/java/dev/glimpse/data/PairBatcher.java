package dev.glimpse.data;

import dev.glimpse.data.synth.Box;
import dev.glimpse.data.synth.SyntheticRegions;
import dev.glimpse.tokenize.SpecialTokens;
import dev.glimpse.tokenize.Tokenizer;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Turns examples into {@link PairBatch}es: each image with one of its texts, drawn once and used both
 * as the text the model embeds and as the caption it learns to write (MM-GEM trains both paths on
 * the same pairs). An example with regions ({@link SyntheticRegions#REGIONS}) gives one region drawn
 * at random: its box and its phrase; with boxes on, any other example is its whole image.
 */
public final class PairBatcher implements ExampleBatcher<PairBatch> {
  private final Tokenizer tokenizer;
  private final ImageTransform transform;
  private final UnaryOperator<int[]> embedText;
  private final boolean captions;
  private final boolean boxes;
  private final int maxTokens;
  private final double firstTargetProbability;

  /**
   * @param embedText a text's tokens (no special tokens) to the ids the model embeds, or null when the
   *     model embeds no text
   * @param captions build caption rows ({@code [BOS] text [EOS]}) for a model that learns to write
   * @param boxes give every example a box (region models)
   * @param maxTokens longest text in tokens, special tokens included (longer ones are cut)
   * @param firstTargetProbability chance of the first reference rather than one drawn at random
   */
  public PairBatcher(Tokenizer tokenizer, ImageTransform transform, UnaryOperator<int[]> embedText, boolean captions,
      boolean boxes, int maxTokens, double firstTargetProbability) {
    if (embedText == null && !captions) {
      throw new IllegalArgumentException("a pair batch needs embedded texts, captions or both");
    }
    this.tokenizer = tokenizer;
    this.transform = transform;
    this.embedText = embedText;
    this.captions = captions;
    this.boxes = boxes;
    this.maxTokens = maxTokens;
    this.firstTargetProbability = firstTargetProbability;
  }

  /** One example's text and the box it describes (input pixels; the whole image without regions). */
  record Pair(String text, float[] box) {}

  Pair pair(Example ex, SplittableRandom random) {
    BufferedImage image = ex.image();
    List<SyntheticRegions.Region> regions = ex.get(SyntheticRegions.REGIONS);
    if (regions != null && !regions.isEmpty()) {
      SyntheticRegions.Region r = regions.get(random.nextInt(regions.size()));
      Box b = r.box();
      return new Pair(r.phrase(), transform.mapBox(b.x(), b.y(), b.width(), b.height(), image.getWidth(),
          image.getHeight()));
    }
    if (ex.targets().isEmpty()) {
      throw new SampleException("example " + ex.id() + " has no text");
    }
    boolean first = firstTargetProbability > 0 && random.nextDouble() < firstTargetProbability;
    String text = first ? ex.targets().get(0) : ex.targets().get(random.nextInt(ex.targets().size()));
    float[] whole = transform.mapBox(0, 0, image.getWidth(), image.getHeight(), image.getWidth(), image.getHeight());
    return new Pair(text, whole);
  }

  @Override
  public PairBatch batch(List<Example> examples, SplittableRandom random) {
    int b = examples.size();
    SpecialTokens special = tokenizer.special();
    int perImage = transform.floats();
    float[] pixels = new float[b * perImage];
    int[][] embedded = new int[b][];
    int[][] sequences = new int[b][];
    float[] boxValues = boxes ? new float[b * 4] : null;
    String[] ids = new String[b];
    int textLength = 0;
    int captionLength = 0;
    for (int i = 0; i < b; i++) {
      Example ex = examples.get(i);
      ids[i] = ex.id();
      transform.apply(ex.image(), pixels, i * perImage);
      Pair pair = pair(ex, random);
      int[] tokens = tokenizer.encode(pair.text());
      int[] kept = Arrays.copyOf(tokens, Math.min(tokens.length, maxTokens - 2));
      if (embedText != null) {
        embedded[i] = embedText.apply(kept);
        textLength = Math.max(textLength, embedded[i].length);
      }
      if (captions) {
        int[] seq = new int[kept.length + 2];
        seq[0] = special.bos();
        System.arraycopy(kept, 0, seq, 1, kept.length);
        seq[seq.length - 1] = special.eos();
        sequences[i] = seq;
        captionLength = Math.max(captionLength, seq.length - 1);
      }
      if (boxes) {
        System.arraycopy(pair.box(), 0, boxValues, i * 4, 4);
      }
    }
    long[] textIds = null;
    float[] textValid = null;
    if (embedText != null) {
      textIds = new long[b * textLength];
      textValid = new float[b * textLength];
      for (int i = 0; i < b; i++) {
        for (int t = 0; t < embedded[i].length; t++) {
          textIds[i * textLength + t] = embedded[i][t];
          textValid[i * textLength + t] = 1;
        }
      }
    }
    long[] captionIds = null;
    long[] targets = null;
    float[] weights = null;
    float[] valid = null;
    if (captions) {
      captionIds = new long[b * captionLength];
      targets = new long[b * captionLength];
      weights = new float[b * captionLength];
      valid = new float[b * captionLength];
      Arrays.fill(captionIds, special.pad());
      Arrays.fill(targets, special.pad());
      for (int i = 0; i < b; i++) {
        int[] seq = sequences[i];
        for (int t = 0; t < seq.length - 1; t++) {
          int cell = i * captionLength + t;
          captionIds[cell] = seq[t];
          targets[cell] = seq[t + 1];
          weights[cell] = 1;
          valid[cell] = 1;
        }
      }
    }
    return new PairBatch(new long[] {b, 3, transform.height(), transform.width()}, pixels, b, textLength, textIds,
        textValid, captionLength, captionIds, targets, weights, valid, boxValues, ids);
  }
}
