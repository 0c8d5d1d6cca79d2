package dev.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.testing.TinyVlv;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The text-to-image model's defining properties: classifier-free guidance at scale 1 is the
 * conditional prediction itself and at scale s is u + s (c - u) of the two predictions made apart; a
 * prompt's prediction does not depend on how far its batch is padded; adaLN-Zero starts every block as
 * the identity, so an untrained denoiser predicts zero noise; the text encoder is causal and takes
 * embeddings in place of words.
 */
class DiffusionModelTest {
  private static NDArray random(NDManager manager, Shape shape, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[(int) shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return manager.create(values, shape);
  }

  /** A model whose zero-initialised layers got random values, as after training. */
  private static DiffusionModel trainedLike(ParameterStore store) {
    DiffusionModel model = new DiffusionModel(store.root(), TinyVlv.diffusionModel());
    SplittableRandom random = new SplittableRandom(4);
    store.all().forEach(p -> {
      float[] values = p.array().toFloatArray();
      for (int i = 0; i < values.length; i++) {
        values[i] += (float) (0.05 * random.nextGaussian());
      }
      p.array().set(values);
    });
    return model;
  }

  private static Condition prompt(DiffusionModel model, NDManager manager, long[] ids, int padTo) {
    long[] padded = new long[padTo];
    float[] valid = new float[padTo];
    for (int i = 0; i < padTo; i++) {
      padded[i] = i < ids.length ? ids[i] : 0;
      valid[i] = i < ids.length ? 1 : 0;
    }
    return model.encodePrompts(manager.create(padded, new Shape(1, padTo)), manager.create(valid, new Shape(1, padTo)));
  }

  @Test
  void guidanceAtScaleOneIsTheConditionalPredictionAndOtherwiseTheGuidedSum() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore store = new ParameterStore(manager, 3);
      DiffusionModel model = trainedLike(store);
      NDArray x = random(manager, new Shape(1, 3, TinyVlv.SIDE, TinyVlv.SIDE), 1);
      Condition conditional = prompt(model, manager, new long[] {1, 40, 41, 42, 2}, 5);
      Condition unconditional = prompt(model, manager, new long[] {1, 2}, 2);
      int t = 17;
      float[] c = model.predictNoise(x, new int[] {t}, conditional).toFloatArray();
      float[] u = model.predictNoise(x, new int[] {t}, unconditional).toFloatArray();
      assertArrayEquals(c, model.guidedNoise(x, t, conditional, unconditional, 1).toFloatArray(),
          "scale 1 is the conditional prediction, bit for bit");
      float[] guided = model.guidedNoise(x, t, conditional, unconditional, 3).toFloatArray();
      double spread = 0;
      for (int i = 0; i < c.length; i++) {
        assertEquals(u[i] + 3 * (c[i] - u[i]), guided[i], 1e-5, "element " + i);
        spread += Math.abs(c[i] - u[i]);
      }
      assertTrue(spread > 1e-3, "the condition matters");
    }
  }

  @Test
  void aPromptsPredictionDoesNotDependOnPadding() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore store = new ParameterStore(manager, 3);
      DiffusionModel model = trainedLike(store);
      NDArray x = random(manager, new Shape(1, 3, TinyVlv.SIDE, TinyVlv.SIDE), 2);
      long[] ids = {1, 40, 41, 2};
      float[] tight = model.predictNoise(x, new int[] {5}, prompt(model, manager, ids, 4)).toFloatArray();
      float[] padded = model.predictNoise(x, new int[] {5}, prompt(model, manager, ids, 11)).toFloatArray();
      assertArrayEquals(tight, padded, 1e-5f);
    }
  }

  @Test
  void anUntrainedDenoiserPredictsZeroNoise() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore store = new ParameterStore(manager, 3);
      DiffusionModel model = new DiffusionModel(store.root(), TinyVlv.diffusionModel());
      NDArray x = random(manager, new Shape(2, 3, TinyVlv.SIDE, TinyVlv.SIDE), 3);
      Condition c = prompt(model, manager, new long[] {1, 40, 2}, 3).repeat(2);
      NDArray eps = model.predictNoise(x, new int[] {0, 49}, c);
      assertEquals(new Shape(2, 3, TinyVlv.SIDE, TinyVlv.SIDE), eps.getShape());
      assertEquals(0, eps.abs().max().getFloat(), 0);
    }
  }

  @Test
  void theTextEncoderIsCausalAndTakesEmbeddingsInPlaceOfWords() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore store = new ParameterStore(manager, 3);
      DiffusionModel model = trainedLike(store);
      TextEncoder encoder = model.textEncoder();
      NDArray ids = manager.create(new long[] {1, 40, 41, 42, 2}, new Shape(1, 5));
      NDArray fromIds = encoder.encode(ids, null);
      NDArray fromEmbeddings = encoder.encodeEmbeddings(encoder.embedTokens(ids), null);
      assertArrayEquals(fromIds.toFloatArray(), fromEmbeddings.toFloatArray());
      // changing the last input embedding leaves every earlier position's context unchanged
      NDArray inputs = encoder.embedTokens(ids);
      NDArray changed = inputs.duplicate();
      changed.set(new ai.djl.ndarray.index.NDIndex(":, 4, :"), random(manager, new Shape(1, encoder.inputWidth()), 8));
      NDArray a = encoder.encodeEmbeddings(inputs, null).get(":, :4, :");
      NDArray b = encoder.encodeEmbeddings(changed, null).get(":, :4, :");
      assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 1e-6f);
      assertThrows(IllegalArgumentException.class,
          () -> encoder.encodeEmbeddings(random(manager, new Shape(1, 30, encoder.inputWidth()), 9), null));
      assertEquals(DataType.FLOAT32, fromIds.getDataType());
    }
  }
}
