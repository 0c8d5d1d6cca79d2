package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.data.synth.SyntheticRegions;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pair batches: one text per image used for both paths; regions bring their box; chunks slice cleanly. */
class PairBatcherTest {
  static final int EMB = 999;

  @Test
  void oneTextFeedsTheEmbeddingRowAndTheCaptionRow() {
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(4));
    SyntheticCaptions data = new SyntheticCaptions(scenes, Split.TRAIN, 6);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      examples.add(data.get(i));
    }
    try (Tokenizer tokenizer = new BpeTrainer(300, 1).train(examples.stream().flatMap(e -> e.targets().stream())
        .toList())) {
      PairBatcher batcher = new PairBatcher(tokenizer, ImageTransform.square(32),
          tokens -> append(tokens, EMB), true, false, 16, 0);
      PairBatch b = batcher.batch(examples, new SplittableRandom(1));
      assertNull(b.boxes());
      for (int i = 0; i < 6; i++) {
        long[] text = Arrays.copyOfRange(b.textIds(), i * b.textLength(), (i + 1) * b.textLength());
        long[] caption = Arrays.copyOfRange(b.captionIds(), i * b.captionLength(), (i + 1) * b.captionLength());
        int n = 0;
        while (n < text.length && text[n] != EMB) {
          n++;
        }
        assertTrue(n < text.length, "the embedding row ends with the model's token");
        // the caption row is [BOS] + the same tokens; its targets end with EOS
        assertArrayEquals(Arrays.copyOf(text, n), Arrays.copyOf(caption, n), "row " + i);
        assertEquals(tokenizer.special().eos(), b.captionTargets()[i * b.captionLength() + n - 1]);
        assertTrue(n <= 15, "cut to 16 tokens with the specials");
      }
      PairBatch slice = b.slice(2, 5);
      assertEquals(3, slice.size());
      assertArrayEquals(Arrays.copyOfRange(b.textIds(), 2 * b.textLength(), 5 * b.textLength()), slice.textIds());
      assertArrayEquals(Arrays.copyOfRange(b.pixels(), 2 * 3 * 32 * 32, 5 * 3 * 32 * 32), slice.pixels());
    }
  }

  @Test
  void regionsBringTheirBoxAndPhrase() {
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(4));
    SyntheticRegions data = new SyntheticRegions(scenes, Split.TRAIN, 8);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      examples.add(data.get(i));
    }
    try (Tokenizer tokenizer = new BpeTrainer(300, 1).train(examples.stream().flatMap(e -> e.targets().stream())
        .toList())) {
      ImageTransform transform = ImageTransform.square(32).withResize(ImageTransform.STRETCH, 0);
      PairBatcher batcher = new PairBatcher(tokenizer, transform, tokens -> append(tokens, EMB), false, true, 24, 0);
      PairBatch b = batcher.batch(examples, new SplittableRandom(3));
      float[][] regions = b.regions();
      for (int i = 0; i < 8; i++) {
        assertEquals(i, regions[i][0]);
        long[] row = Arrays.copyOfRange(b.textIds(), i * b.textLength(), (i + 1) * b.textLength());
        int n = 0;
        while (row[n] != EMB) {
          n++;
        }
        String phrase = tokenizer.decode(Arrays.stream(Arrays.copyOf(row, n)).mapToInt(v -> (int) v).toArray());
        SyntheticRegions.Region region = examples.get(i).get(SyntheticRegions.REGIONS).stream()
            .filter(r -> r.phrase().equals(phrase)).findFirst().orElseThrow();
        float[] expected = transform.mapBox(region.box().x(), region.box().y(), region.box().width(),
            region.box().height(), examples.get(i).image().getWidth(), examples.get(i).image().getHeight());
        assertArrayEquals(expected, Arrays.copyOfRange(regions[i], 1, 5), 1e-4f, "the box of the phrase drawn");
      }
    }
  }

  private static int[] append(int[] tokens, int last) {
    int[] out = new int[tokens.length + 2];
    out[0] = 1;
    System.arraycopy(tokens, 0, out, 1, tokens.length);
    out[out.length - 1] = last;
    return out;
  }
}
