package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.synth.CaptionGrammar;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.HfTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Diffusion batches: images alone carry no text whatever the examples say; timesteps and noise come
 * from the batch's stream (the same seed, the same batch); captions are framed as the text encoder
 * reads them and dropped to the empty prompt at about the configured rate.
 */
class DenoisingBatcherTest {
  private static List<Example> examples(String captionPrefix) {
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(4));
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      out.add(Example.caption("x" + i, scenes.render(scenes.scene(Split.TRAIN, i)),
          List.of(captionPrefix + i, captionPrefix + " again " + i)));
    }
    return out;
  }

  @Test
  void imagesAloneCarryNoTextAndDoNotDependOnIt() {
    DenoisingBatcher batcher = DenoisingBatcher.imagesOnly(ImageTransform.square(16), 100);
    DenoisingBatch a = batcher.batch(examples("a red circle "), new SplittableRandom(3));
    DenoisingBatch b = batcher.batch(examples("nothing like it "), new SplittableRandom(3));
    assertNull(a.ids());
    assertArrayEquals(a.pixels(), b.pixels());
    assertArrayEquals(a.noise(), b.noise());
    assertArrayEquals(a.timesteps(), b.timesteps());
    for (int t : a.timesteps()) {
      assertTrue(t >= 0 && t < 100);
    }
    double sum = 0;
    double squares = 0;
    for (float v : a.noise()) {
      sum += v;
      squares += v * v;
    }
    assertEquals(0, sum / a.noise().length, 0.05);
    assertEquals(1, squares / a.noise().length, 0.05);
  }

  @Test
  void captionsAreFramedAndDroppedAtTheConfiguredRate() {
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(4));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      texts.addAll(CaptionGrammar.captions(scenes.scene(Split.TRAIN, i)));
    }
    try (HfTokenizer tokenizer = new BpeTrainer(300, 2).train(texts)) {
      DenoisingBatcher batcher = new DenoisingBatcher(ImageTransform.square(16), 100,
          new DenoisingBatcher.Captions(tokenizer, 24, 0.3, 1.0));
      int dropped = 0;
      int rows = 0;
      for (int seed = 0; seed < 60; seed++) {
        DenoisingBatch batch = batcher.batch(examples("a large red circle "), new SplittableRandom(seed));
        for (int i = 0; i < batch.size(); i++) {
          long[] ids = java.util.Arrays.copyOfRange(batch.ids(), i * batch.textLength(), (i + 1) * batch.textLength());
          int length = 0;
          for (int j = 0; j < batch.textLength(); j++) {
            length += batch.valid()[i * batch.textLength() + j] > 0 ? 1 : 0;
          }
          assertEquals(tokenizer.special().bos(), ids[0]);
          assertEquals(tokenizer.special().eos(), ids[length - 1]);
          dropped += length == 2 ? 1 : 0;
          rows++;
        }
      }
      assertEquals(0.3, (double) dropped / rows, 0.08);
    }
  }
}
