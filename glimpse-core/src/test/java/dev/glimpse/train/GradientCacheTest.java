package dev.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.testing.MemoryProbes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gradient caching gives the plain batch's gradients, and holds one chunk's graph at a time. */
class GradientCacheTest {
  @Test
  void chunkedGradientsEqualThePlainBatchs() {
    for (boolean local : new boolean[] {false, true}) {
      try (NDManager manager = NDManager.newBaseManager()) {
        ParameterStore store = new ParameterStore(manager, 3);
        TwoTowers model = new TwoTowers(store, manager, 64, 12, 24, 8, local);
        Map<String, float[]> plain = gradients(store, model, 0, manager);
        Map<String, float[]> cached = gradients(store, model, 16, manager);
        Map<String, float[]> uneven = gradients(store, model, 24, manager); // 24 + 24 + 16
        for (String name : plain.keySet()) {
          float[] a = plain.get(name);
          float scale = 0;
          for (float v : a) {
            scale = Math.max(scale, Math.abs(v));
          }
          assertTrue(scale > 0, name + " has a gradient");
          for (float[] b : List.of(cached.get(name), uneven.get(name))) {
            for (int i = 0; i < a.length; i++) {
              assertEquals(a[i], b[i], 1e-5, name + "[" + i + "] (local loss: " + local + ")");
            }
          }
        }
      }
    }
  }

  private static Map<String, float[]> gradients(ParameterStore store, TwoTowers model, int chunk, NDManager manager) {
    for (Parameter p : store.all()) {
      if (p.array().hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) p.array());
      }
    }
    GradientCache<Integer> objective = new GradientCache<>(model.encoder(), model.infoNce(), chunk);
    try (NDManager step = manager.newSubManager()) {
      Objective.Loss loss = objective.backward(64, new Objective.Step(step, 3, 10, 2));
      assertTrue(Float.isFinite(loss.value().getFloat()));
      assertEquals(model.local ? 2 : 1, loss.components().size(), "parts: " + loss.components().keySet());
    }
    Map<String, float[]> out = new HashMap<>();
    for (Parameter p : store.all()) {
      out.put(p.name(), p.array().getGradient().toFloatArray());
    }
    return out;
  }

  /**
   * Peak resident memory of one training step at batch 2048, in a fresh JVM each: the plain batch holds
   * every example's activations at once, the cached one a chunk of 128's.
   */
  @Test
  void peakMemoryGrowsWithTheChunkNotTheBatch() throws Exception {
    long plain = stepGrowthKb(0);
    long cached = stepGrowthKb(128);
    assertTrue(plain > 200_000, "the plain step of 2048 holds hundreds of MB of activations, grew " + plain + " kB");
    assertTrue(cached * 4 < plain, "chunks of 128: grew " + cached + " kB, plain batch " + plain + " kB");
  }

  private static long stepGrowthKb(int chunk) throws Exception {
    return MemoryProbes.growthKb(GradientCacheMemoryProbe.class, String.valueOf(chunk), 120);
  }

  static long statusKb(String field) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no " + field + " in /proc/self/status");
  }
}
