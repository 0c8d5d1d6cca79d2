package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Patches cut on the host and projected give the same tokens as the convolution over the image. */
class PatchEmbedPatchesTest {
  @Test
  void forwardPatchesEqualsConvolutionOnANonSquareImage() {
    try (NDManager m = NDManager.newBaseManager(); ParameterStore store = new ParameterStore(m, 3)) {
      PatchEmbed embed = new PatchEmbed(store.root().sub("patch"), 3, 4, 8, true, 0.2);
      int h = 8;
      int w = 12;
      float[] chw = new float[3 * h * w];
      SplittableRandom r = new SplittableRandom(9);
      for (int i = 0; i < chw.length; i++) {
        chw[i] = (float) r.nextGaussian();
      }
      NDArray conv = embed.forward(m.create(chw, new Shape(1, 3, h, w)));            // [1, 6, 8]
      float[] patches = PatchEmbed.patchify(chw, 3, h, w, 4);
      NDArray linear = embed.forwardPatches(m.create(patches, new Shape(1, 6, 48)));   // [1, 6, 8]
      assertEquals(conv.getShape(), linear.getShape());
      assertArrayEquals(conv.toFloatArray(), linear.toFloatArray(), 1e-5f);
    }
  }
}
