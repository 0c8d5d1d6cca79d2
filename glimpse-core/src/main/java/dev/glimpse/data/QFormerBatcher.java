package dev.glimpse.data;

import dev.glimpse.tokenize.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Image-caption pairs to {@link QFormerBatch}es for BLIP-2's first stage: one reference per image
 * (its consensus one with {@code firstTargetProbability}, else drawn), {@code [BOS] caption [EOS]} cut
 * to {@code maxTokens}.
 */
public final class QFormerBatcher implements ExampleBatcher<QFormerBatch> {
  private final Tokenizer tokenizer;
  private final ImageTransform transform;
  private final int maxTokens;
  private final double firstTargetProbability;

  public QFormerBatcher(Tokenizer tokenizer, ImageTransform transform, int maxTokens, double firstTargetProbability) {
    this.tokenizer = tokenizer;
    this.transform = transform;
    this.maxTokens = maxTokens;
    this.firstTargetProbability = firstTargetProbability;
  }

  @Override
  public QFormerBatch batch(List<Example> examples, SplittableRandom random) {
    int b = examples.size();
    int[][] rows = new int[b][];
    int length = 2;
    long[] keys = new long[b];
    for (int i = 0; i < b; i++) {
      Example ex = examples.get(i);
      if (ex.targets().isEmpty()) {
        throw new dev.glimpse.util.GlimpseException("example " + ex.id() + " has no caption to learn from");
      }
      String caption = firstTargetProbability > 0 && random.nextDouble() < firstTargetProbability
          ? LmBatcher.consensus(ex.targets()) : ex.targets().get(random.nextInt(ex.targets().size()));
      keys[i] = caption.hashCode() * 0x9E3779B97F4A7C15L + caption.length();
      int[] body = tokenizer.encode(caption);
      int[] seq = new int[Math.min(body.length + 2, maxTokens)];
      seq[0] = tokenizer.special().bos();
      System.arraycopy(body, 0, seq, 1, Math.min(body.length, seq.length - 2));
      seq[seq.length - 1] = tokenizer.special().eos();
      rows[i] = seq;
      length = Math.max(length, seq.length);
    }
    long[] ids = new long[b * length];
    float[] valid = new float[b * length];
    Arrays.fill(ids, tokenizer.special().pad());
    for (int i = 0; i < b; i++) {
      for (int t = 0; t < rows[i].length; t++) {
        ids[i * length + t] = rows[i][t];
        valid[i * length + t] = 1;
      }
    }
    int per = transform.floats();
    float[] pixels = new float[b * per];
    for (int i = 0; i < b; i++) {
      transform.apply(examples.get(i).image(), pixels, i * per);
    }
    return new QFormerBatch(new long[] {b, 3, transform.height(), transform.width()}, pixels, b, length, ids, valid,
        keys);
  }
}
