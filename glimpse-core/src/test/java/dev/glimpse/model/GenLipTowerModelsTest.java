package dev.glimpse.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.connect.QFormerConfig;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.SafeTensors;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LLaVA and BLIP-2 with a GenLIP encoder as their vision tower, at the config level: the config
 * names the tower and survives its JSON round trip, the model runs the GenLIP encoder in place of
 * the ViT (its features equal a standalone GenLIP's {@code encodeImages} once the same weights are
 * loaded under {@code vision.}), the tower's unused text embedding is frozen, and a config naming
 * two towers is refused (the CLI test checks that HuggingFace export refuses a GenLIP tower).
 */
class GenLipTowerModelsTest {
  private static final GenLipConfig TOWER = GenLipConfig.of(12, 4, TransformerConfig.preLn(32, 2, 2)).withVocabSize(40).withMaxTextPositions(16); // 3x3 patches, D=32

  private static TransformerConfig llamaText() {
    return new TransformerConfig(24, 1, 2, 2, 48, NormType.RMS_NORM, 1e-6, true, true, ActivationType.SILU, true,
        false, false, 10_000, 0.02);
  }

  static LlavaConfig llava() {
    return new LlavaConfig(null, 0, false, ActivationType.GELU, llamaText(), 30, 20, 29, true, TOWER, 0, null, 0);
  }

  static Blip2Config blip2() {
    QFormerConfig q = new QFormerConfig(TransformerConfig.preLn(16, 1, 2), 4, 1, 8); // memory width follows the tower
    Blip2Config vit = new Blip2Config(
        new dev.glimpse.nn.VisionConfig(12, 4, 3, TransformerConfig.preLn(8, 1, 2), true, true, false, true), q,
        TransformerConfig.preLn(24, 1, 2), 30, 20, 2, 29, true);
    return vit.withGenLipVision(TOWER);
  }

  private static NDArray pixels(NDManager manager) {
    SplittableRandom random = new SplittableRandom(11);
    float[] values = new float[2 * 3 * 12 * 12];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return manager.create(values, new Shape(2, 3, 12, 12));
  }

  @Test
  void configsNameTheTowerAndSurviveJson() {
    for (ModelConfig config : new ModelConfig[] {llava(), blip2()}) {
      String json = Models.toJson(config).toString();
      ModelConfig back = Models.parse(config.modelType(), Models.toJson(config), "test");
      assertEquals(json, Models.toJson(back).toString());
      assertEquals(12, back.imageSize());
    }
    assertEquals(9, llava().imageTokens(), "one visual token per GenLIP patch");
    assertNull(blip2().vision());
    assertEquals(32, blip2().qformer().memoryWidth(), "the Q-Former reads the GenLIP width");
    assertEquals(4, blip2().imageTokens());
  }

  @Test
  void towersRunTheGenLipEncoderWithItsWeights() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore genlipStore = new ParameterStore(manager, 3);
        ParameterStore llavaStore = new ParameterStore(manager, 4);
        ParameterStore blipStore = new ParameterStore(manager, 5)) {
      GenLipModel genlip = new GenLipModel(genlipStore.root(), TOWER);
      LlavaModel llava = new LlavaModel(llavaStore.root(), llava());
      Blip2Model blip = new Blip2Model(blipStore.root(), blip2());
      Map<String, SafeTensors.Tensor> weights = new HashMap<>();
      for (SafeTensors.Tensor t : genlipStore.toTensors()) {
        weights.put(t.name(), t);
      }
      llavaStore.loadUnder("vision.", weights, "genlip");
      blipStore.loadUnder("vision.", weights, "genlip");

      NDArray x = pixels(manager);
      float[] expected = genlip.encodeImages(x).toFloatArray();
      assertArrayEquals(expected, llava.selectedFeatures(x).toFloatArray(), 1e-6f);
      assertArrayEquals(expected, blip.visionHidden(x, null).toFloatArray(), 1e-6f);
      assertNull(llava.vision());
      assertEquals(new Shape(2, 9, 24), llava.imageFeatures(x).getShape());
      assertEquals(new Shape(2, 4, 24), blip.imageFeatures(x).getShape());

      NDArray ids = manager.create(new long[] {1, 5, 6, 7, 1, 8, 9, 2}, new Shape(2, 4));
      NDArray valid = manager.ones(new Shape(2, 4), DataType.INT64);
      assertEquals(new Shape(2, 4, 30), llava.forward(x, ids, valid).getShape());
      assertEquals(new Shape(2, 4, 30), blip.forward(x, ids, valid).getShape());

      for (ParameterStore store : new ParameterStore[] {llavaStore, blipStore}) {
        for (Parameter p : store.all()) {
          boolean textEmbedding = p.name().startsWith("vision.text_embedding.");
          assertEquals(textEmbedding, p.frozen(), p.name() + ": only the tower's unused text embedding is frozen");
        }
      }
    }
  }

  @Test
  void loadUnderChecksTheTowerWeights() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, 4)) {
      new LlavaModel(store.root(), llava());
      GlimpseException e = assertThrows(GlimpseException.class,
          () -> store.loadUnder("vision.", Map.of(), "empty.safetensors"));
      assertTrue(e.getMessage().contains("empty.safetensors does not match the model's vision.*"), e.getMessage());
      assertTrue(e.getMessage().contains("missing patch_embed.weight"), e.getMessage());
      assertThrows(GlimpseException.class, () -> store.loadUnder("nothing.", Map.of(), "x"));
    }
  }

  @Test
  void badTowerConfigsAreRefused() {
    LlavaConfig clip = new LlavaConfig(
        new dev.glimpse.nn.VisionConfig(12, 4, 3, TransformerConfig.preLn(8, 1, 2), true, false, true, true), -2, true,
        ActivationType.GELU, llamaText(), 30, 20, 29, true);
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> new LlavaConfig(clip.vision(), 0, false, ActivationType.GELU, llamaText(), 30, 20, 29, true, TOWER, 0, null, 0));
    assertTrue(both.getMessage().contains("exactly one of 'vision'"), both.getMessage());
    IllegalArgumentException layer = assertThrows(IllegalArgumentException.class,
        () -> new LlavaConfig(null, -2, false, ActivationType.GELU, llamaText(), 30, 20, 29, true, TOWER, 0, null, 0));
    assertTrue(layer.getMessage().contains("visionFeatureLayer must be 0"), layer.getMessage());
    LlavaConfig swapped = clip.withGenLipVision(TOWER);
    assertNull(swapped.vision());
    assertEquals(9, swapped.imageTokens(), "9 GenLIP tokens replace the 16 CLIP patches");
  }
}
