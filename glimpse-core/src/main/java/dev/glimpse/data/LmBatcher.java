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
 *
 * <p>With packed texts ({@link #packingTexts}), a group of texts about one image ({@link
 * Example#group}: its VQA questions and a caption) fills one row, {@code [BOS] q1 a1 [EOS] [BOS] q2 a2
 * [EOS] ...}: each text starts again at position 0 and attends causally to itself and to the image
 * only ({@link LmBatch#textMask}), exactly as it would alone, so the image is encoded once for all of
 * them.
 */
public final class LmBatcher implements ExampleBatcher<LmBatch> {
  private final Tokenizer tokenizer;
  private final ImageTransform transform;
  private final int maxTokens;
  private final int frames;
  private final double firstTargetProbability;
  private final boolean packTexts;

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
    this(tokenizer, transform, maxTokens, frames, firstTargetProbability, false);
  }

  private LmBatcher(Tokenizer tokenizer, ImageTransform transform, int maxTokens, int frames,
      double firstTargetProbability, boolean packTexts) {
    this.firstTargetProbability = firstTargetProbability;
    this.tokenizer = tokenizer;
    this.transform = transform;
    this.maxTokens = maxTokens;
    this.frames = frames;
    this.packTexts = packTexts;
  }

  /**
   * This batcher with packed texts: every member of a group ({@link Example#members}) in the example's
   * row, each text with its own positions and attention; {@code maxTokens} limits each text.
   */
  public LmBatcher packingTexts() {
    return new LmBatcher(tokenizer, transform, maxTokens, frames, firstTargetProbability, true);
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
    // one row per example: the concatenated texts, without each text's last token as input
    Row[] rows = new Row[b];
    int length = 0;
    for (int i = 0; i < b; i++) {
      Example ex = examples.get(i);
      rows[i] = row(packTexts ? ex.members() : List.of(ex), random);
      length = Math.max(length, rows[i].inputs.length);
    }
    SpecialTokens special = tokenizer.special();
    long[] inputIds = new long[b * length];
    long[] targetIds = new long[b * length];
    float[] weights = new float[b * length];
    float[] valid = new float[b * length];
    long[] positions = packTexts ? new long[b * length] : null;
    float[] textMask = packTexts ? new float[b * length * length] : null;
    java.util.Arrays.fill(inputIds, special.pad());
    java.util.Arrays.fill(targetIds, special.pad());
    String[] ids = new String[b];
    for (int i = 0; i < b; i++) {
      Row row = rows[i];
      ids[i] = examples.get(i).id();
      for (int t = 0; t < row.inputs.length; t++) {
        int cell = i * length + t;
        inputIds[cell] = row.inputs[t];
        targetIds[cell] = row.targets[t];
        valid[cell] = 1;
        weights[cell] = row.weights[t];
      }
      if (packTexts) {
        for (int q = 0; q < length; q++) {
          int base = (i * length + q) * length;
          if (q >= row.inputs.length) {
            textMask[base + q] = 1; // padding sees itself (and the image); it carries no loss
            continue;
          }
          positions[i * length + q] = row.positions[q];
          for (int k = q - row.positions[q]; k <= q; k++) { // its own text, from its start up to itself
            textMask[base + k] = 1;
          }
        }
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
    return new LmBatch(pixelShape, pixels, b, length, inputIds, targetIds, weights, valid, ids, positions, textMask);
  }

  // a row's inputs, next-token targets, loss weights and per-text positions
  private record Row(int[] inputs, int[] targets, float[] weights, int[] positions) {}

  // position t of a text predicts its token t+1, which counts when t+1 >= promptLength
  private Row row(List<Example> texts, SplittableRandom random) {
    List<Tokens> tokens = new java.util.ArrayList<>(texts.size());
    int total = 0;
    for (Example text : texts) {
      Tokens t = tokens(text, random);
      tokens.add(t);
      total += t.sequence().length - 1;
    }
    int[] inputs = new int[total];
    int[] targets = new int[total];
    float[] weights = new float[total];
    int[] positions = new int[total];
    int at = 0;
    for (Tokens t : tokens) {
      int[] seq = t.sequence();
      for (int p = 0; p < seq.length - 1; p++, at++) {
        inputs[at] = seq[p];
        targets[at] = seq[p + 1];
        weights[at] = p + 1 >= t.promptLength() ? 1 : 0;
        positions[at] = p;
      }
    }
    return new Row(inputs, targets, weights, positions);
  }
}
