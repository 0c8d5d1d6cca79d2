package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.Models;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The convolutional stems: one token per patch as the patch stem, channels doubling to half the
 * width (twice that, with a stride-1 convolution per stage, in the deep stem), each token depends
 * only on pixels near its patch (receptive field of the 3x3 stack), gradients reach every layer, the
 * choice survives a config's JSON round trip, and bad patch sizes are refused.
 */
class ConvStemTest {
  @Test
  void tokensPerPatchAndLocalReceptiveField() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, 1)) {
      ConvStem stem = new ConvStem(store.root().sub("stem"), 3, 8, 64);
      List<Long> channels = store.all().stream().filter(p -> p.name().endsWith("weight"))
          .map(p -> p.shape().get(0)).toList();
      assertEquals(List.of(16L, 16L, 32L, 64L), channels, "D/8 (at least 16), D/4, D/2, then D");

      NDArray images = manager.randomNormal(new Shape(2, 3, 32, 48));
      NDArray tokens = stem.forward(images);
      assertEquals(new Shape(2, 4 * 6, 64), tokens.getShape());

      // change the top-left pixel block: tokens far from it (right half) must not move
      NDArray changed = images.duplicate();
      changed.set(new ai.djl.ndarray.index.NDIndex(":, :, 0:4, 0:4"), 5f);
      NDArray diff = stem.forward(changed).sub(tokens).abs().max(new int[] {2}).max(new int[] {0}); // [24]
      float[] d = diff.toFloatArray();
      assertTrue(d[0] > 1e-4, "the token over the change moves");
      for (int row = 0; row < 4; row++) {
        for (int col = 3; col < 6; col++) {
          assertEquals(0f, d[row * 6 + col], 0f, "token (" + row + "," + col + ") is outside the receptive field");
        }
      }
    }
  }

  @Test
  void deepStemDoublesChannelsAddsAStrideOneConvolutionPerStageAndStaysLocal() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, 3)) {
      ConvStem stem = new ConvStem(store.root().sub("stem"), 3, 8, 64, true);
      List<String> names = store.all().stream().map(Parameter::name).filter(n -> n.endsWith("weight")).toList();
      assertEquals(List.of("stem.conv.0.weight", "stem.refine.0.weight", "stem.conv.1.weight",
          "stem.refine.1.weight", "stem.conv.2.weight", "stem.refine.2.weight", "stem.proj.weight"), names);
      List<Long> channels = store.all().stream().filter(p -> p.name().endsWith("weight"))
          .map(p -> p.shape().get(0)).toList();
      assertEquals(List.of(32L, 32L, 32L, 32L, 64L, 64L, 64L), channels, "twice the light stem's, then D");

      NDArray images = manager.randomNormal(new Shape(2, 3, 32, 48));
      NDArray tokens = stem.forward(images);
      assertEquals(new Shape(2, 4 * 6, 64), tokens.getShape(), "still one token per 8x8 patch");

      // six 3x3 layers, strides 2,1,2,1,2,1: token column c sees pixels 8c-21 .. 8c+21, so a change in
      // pixels 0..3 reaches columns 0..3 and no further
      NDArray changed = images.duplicate();
      changed.set(new ai.djl.ndarray.index.NDIndex(":, :, 0:4, 0:4"), 5f);
      float[] d = stem.forward(changed).sub(tokens).abs().max(new int[] {2}).max(new int[] {0}).toFloatArray();
      assertTrue(d[0] > 1e-4 && d[1] > 1e-4, "the tokens over and next to the change move");
      for (int row = 0; row < 4; row++) {
        for (int col = 4; col < 6; col++) {
          assertEquals(0f, d[row * 6 + col], 0f, "token (" + row + "," + col + ") is outside the receptive field");
        }
      }
    }
  }

  @Test
  void gradientsReachEveryLayerThroughTheVit() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, 2)) {
      VisionConfig cfg = new VisionConfig(16, 4, 3, TransformerConfig.preLn(32, 1, 2), false, true, false, false)
          .withStem(VisionConfig.DEEP_CONV_STEM);
      VisionTransformer vit = new VisionTransformer(store.root().sub("vision"), cfg);
      assertTrue(store.contains("vision.conv_stem.conv.0.weight") && store.contains("vision.conv_stem.refine.1.weight")
          && !store.contains("vision.patch_embed.weight"),
          store.all().toString());
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray out = vit.forward(manager.randomNormal(new Shape(2, 3, 16, 16)));
        assertEquals(new Shape(2, 16, 32), out.getShape());
        collector.backward(out.square().mean());
      }
      for (Parameter p : store.all()) {
        if (p.name().contains("conv_stem")) {
          assertTrue(p.array().getGradient().abs().max().getFloat() > 0, "no gradient reached " + p.name());
        }
      }
    }
  }

  @Test
  void configRoundTripAndValidation() {
    GitConfig git = GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 1, 2)), TransformerConfig.preLn(32, 1, 2)).withVocabSize(10).withMaxTextPositions(8).withConvStem();
    GitConfig back = (GitConfig) Models.parse(GitConfig.TYPE, Models.toJson(git), "test");
    assertEquals(VisionConfig.CONV_STEM, back.vision().stem());
    assertTrue(git.forwardMacs(4) > GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 1, 2)), TransformerConfig.preLn(32, 1, 2)).withVocabSize(10).withMaxTextPositions(8).forwardMacs(4) / 2);
    GitConfig deep = git.withStem(VisionConfig.DEEP_CONV_STEM);
    GitConfig deepBack = (GitConfig) Models.parse(GitConfig.TYPE, Models.toJson(deep), "test");
    assertEquals(VisionConfig.DEEP_CONV_STEM, deepBack.vision().stem());
    assertTrue(deepBack.vision().convStem() && deepBack.vision().deepConvStem() && !back.vision().deepConvStem());
    // stride-1 layers at 16x16, 8x8, 4x4 with 32, 32, 64 channels, and doubled stride-2 layers
    assertTrue(deep.forwardMacs(4) > git.forwardMacs(4) + 16L * 16 * 32 * 32 * 9, deep.forwardMacs(4) + " vs "
        + git.forwardMacs(4));
    assertEquals(3, ConvStem.layersFor(8));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new VisionConfig(24, 12, 3, TransformerConfig.preLn(32, 1, 2), false, true, false, false)
            .withStem(VisionConfig.CONV_STEM));
    assertTrue(e.getMessage().contains("power-of-two patch size"), e.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> new VisionConfig(24, 12, 3, TransformerConfig.preLn(32, 1, 2), false, true, false, false).withStem("x"));
    assertTrue(unknown.getMessage().contains("'conv-deep'"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new VisionConfig(24, 12, 3, TransformerConfig.preLn(32, 1, 2), false, true, false, false)
            .withStem(VisionConfig.DEEP_CONV_STEM));
  }

  @Test
  void stemChannelsPerStageAreBuiltCountedSavedAndChecked() {
    GitConfig deep = GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 1, 2)), TransformerConfig.preLn(32, 1, 2)).withVocabSize(10).withMaxTextPositions(8).withStem(VisionConfig.DEEP_CONV_STEM);
    GitConfig narrow = deep.withStemChannels(16, 16, 32);
    assertEquals(List.of(32, 32, 32), deep.vision().stemStageChannels(), "the default: twice max(16, D/8, D/4, D/2)");
    assertEquals(null, deep.vision().stemChannels(), "the default is not written out");
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, 1)) {
      VisionTransformer vit = new VisionTransformer(store.root().sub("vision"), narrow.vision());
      List<Long> channels = store.all().stream().filter(p -> p.name().startsWith("vision.conv_stem")
          && p.name().endsWith("weight")).map(p -> p.shape().get(0)).toList();
      assertEquals(List.of(16L, 16L, 16L, 16L, 32L, 32L, 32L), channels, "conv/refine per stage as given, then D");
      assertEquals(new Shape(2, 16, 32), vit.forward(manager.randomNormal(new Shape(2, 3, 32, 32))).getShape());
    }
    GitConfig back = (GitConfig) Models.parse(GitConfig.TYPE, Models.toJson(narrow), "test");
    assertEquals(List.of(16, 16, 32), back.vision().stemChannels());
    // half the channels in the first two stages: their stride-1 layers at 16x16 and 8x8 cost a quarter
    long saved = 16L * 16 * (32 - 16) * 3 * 9 + 16L * 16 * (32 * 32 - 16 * 16) * 9
        + 8L * 8 * (32 * 32 - 16 * 16) * 9 + 8L * 8 * (32 * 32 - 16 * 16) * 9 + 4L * 4 * (32 * 32 - 32 * 16) * 9;
    assertEquals(saved, deep.forwardMacs(4) - narrow.forwardMacs(4));

    IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> deep.withStemChannels(16, 32));
    assertTrue(count.getMessage().contains("3 positive channel counts")
        && count.getMessage().contains("patchSize 8"), count.getMessage());
    assertThrows(IllegalArgumentException.class, () -> deep.withStemChannels(16, 0, 32));
    IllegalArgumentException patch = assertThrows(IllegalArgumentException.class,
        () -> GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 1, 2)), TransformerConfig.preLn(32, 1, 2)).withVocabSize(10).withMaxTextPositions(8).withStemChannels(16, 16, 32));
    assertTrue(patch.getMessage().contains("needs a convolutional stem"), patch.getMessage());
  }

  @Test
  void patchifyStemReplacesTheFirstStridedLayersWithOneNonOverlappingConvolution() {
    GitConfig deep = GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 1, 2)), TransformerConfig.preLn(32, 1, 2)).withVocabSize(10).withMaxTextPositions(8).withStem(VisionConfig.DEEP_CONV_STEM);
    GitConfig patchify = deep.withStemPatchify(4, 24, 32);
    assertEquals(2, ConvStem.stagesFor(8, 4), "a 4x4 layer, then one stride-2 stage to reach 8x8 patches");
    assertEquals(List.of(32, 32), deep.withStemPatchify(4).vision().stemStageChannels(),
        "the default schedule's stages at the same resolutions");
    assertEquals(null, deep.withStemPatchify(4).vision().stemChannels(), "the default is not written out");
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, 1)) {
      VisionTransformer vit = new VisionTransformer(store.root().sub("vision"), patchify.vision());
      List<String> shapes = store.all().stream().filter(p -> p.name().startsWith("vision.conv_stem")
          && p.name().endsWith("weight")).map(p -> p.name() + p.shape()).toList();
      assertEquals(List.of("vision.conv_stem.conv.0.weight(24, 3, 4, 4)", "vision.conv_stem.refine.0.weight(24, 24, 3, 3)",
          "vision.conv_stem.conv.1.weight(32, 24, 3, 3)", "vision.conv_stem.refine.1.weight(32, 32, 3, 3)",
          "vision.conv_stem.proj.weight(32, 32, 1, 1)"), shapes);
      NDArray images = manager.randomNormal(new Shape(2, 3, 32, 48));
      NDArray tokens = vit.embed(images);
      assertEquals(new Shape(2, 4 * 6, 32), tokens.getShape(), "one token per 8x8 patch");
    }
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, 2)) {
      // 4x4/4 then 3x3 (stride 1), 3x3 (stride 2), 3x3 (stride 1): token column c sees pixels
      // 8c-16 .. 8c+19, so a change in pixels 0..3 reaches columns 0..2 and no further
      ConvStem stem = new ConvStem(store.root().sub("stem"), 3, 8, 32, true, List.of(24, 32), 4);
      NDArray images = manager.randomNormal(new Shape(2, 3, 32, 48));
      NDArray tokens = stem.forward(images);
      NDArray changed = images.duplicate();
      changed.set(new ai.djl.ndarray.index.NDIndex(":, :, 0:4, 0:4"), 5f);
      float[] d = stem.forward(changed).sub(tokens).abs().max(new int[] {2}).max(new int[] {0}).toFloatArray();
      assertTrue(d[0] > 1e-4, "the token over the change moves");
      for (int row = 0; row < 4; row++) {
        for (int col = 3; col < 6; col++) {
          assertEquals(0f, d[row * 6 + col], 0f, "token (" + row + "," + col + ") is outside the receptive field");
        }
      }
    }
    GitConfig back = (GitConfig) Models.parse(GitConfig.TYPE, Models.toJson(patchify), "test");
    assertEquals(4, back.vision().stemPatchify());
    assertEquals(List.of(24, 32), back.vision().stemChannels());
    assertEquals(null, deep.vision().stemPatchify(), "no patchify layer unless asked for");
    // the 4x4 layer and the stride-1 layer at 8x8 (32x32 input) with 24 channels, the stride-2 layer
    // to 4x4 from 24 channels, and the same stride-1 layer at 4x4 and projection as before
    long patchifyMacs = 8L * 8 * 24 * 3 * 16 + 8L * 8 * 24 * 24 * 9 + 4L * 4 * 32 * 24 * 9 + 4L * 4 * 32 * 32 * 9
        + 4L * 4 * 32 * 32;
    long deepMacs = ConvStem.macs(3, List.of(32, 32, 32), 32, 32, 32, true, 0);
    assertEquals(deepMacs - patchifyMacs, deep.forwardMacs(4) - patchify.forwardMacs(4));

    IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
        () -> deep.withStemPatchify(4, 16, 16, 32));
    assertTrue(count.getMessage().contains("2 positive channel counts")
        && count.getMessage().contains("stemPatchify 4"), count.getMessage());
    for (int bad : new int[] {3, 1, 16}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> deep.withStemPatchify(bad, 32));
      assertTrue(e.getMessage().contains("power of two from 2 to the patch size 8"), e.getMessage());
    }
    IllegalArgumentException patch = assertThrows(IllegalArgumentException.class,
        () -> GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 1, 2)), TransformerConfig.preLn(32, 1, 2)).withVocabSize(10).withMaxTextPositions(8).withStemPatchify(4, 16, 32));
    assertTrue(patch.getMessage().contains("stemPatchify 4 needs a convolutional stem"), patch.getMessage());
  }
}
