package dev.glimpse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Constants used by autograd must survive until the backward pass even when the garbage collector
 * runs in between (DJL's Number overloads do not guarantee that; see {@link Scalars}).
 */
class ScalarsTest {
  @Test
  void gradientsThroughConstantsSurviveGarbageCollection() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 20; trial++) {
        NDArray x = manager.create(new float[] {1, 2, 3});
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray y = Scalars.pow(Scalars.add(Scalars.mul(x, 3), 1), 2).sum(); // sum((3x + 1)^2)
          // Collect garbage and refill freed direct memory with NaNs before the backward pass.
          System.gc();
          List<ByteBuffer> junk = new ArrayList<>();
          for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
            while (b.hasRemaining()) {
              b.putFloat(Float.NaN);
            }
            junk.add(b);
          }
          collector.backward(y);
        }
        // d/dx (3x + 1)^2 = 6 (3x + 1)
        assertArrayEquals(new float[] {24, 42, 60}, x.getGradient().toFloatArray(), 1e-4f, "trial " + trial);
      }
    }
  }
}
