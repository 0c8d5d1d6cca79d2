package dev.glimpse.train;

import ai.djl.ndarray.NDManager;
import dev.glimpse.nn.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in its own JVM by {@link GradientCacheTest}: one warm-up step at batch 64, then one step at
 * batch 2048 with the given chunk (0 = the plain batch); prints how much the peak resident memory
 * ({@code VmHWM}) rose above the resident memory before that step.
 */
public final class GradientCacheMemoryProbe {
  public static void main(String[] args) throws Exception {
    int chunk = Integer.parseInt(args[0]);
    try (NDManager manager = NDManager.newBaseManager()) {
      ParameterStore store = new ParameterStore(manager, 3);
      TwoTowers model = new TwoTowers(store, manager, 2048, 64, 8192, 32, false);
      try (NDManager step = manager.newSubManager()) {
        new GradientCache<>(model.encoder(), model.infoNce(), 0).backward(64, Objective.Step.of(step));
      }
      Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM to the current RSS
      long before = GradientCacheTest.statusKb("VmRSS");
      try (NDManager step = manager.newSubManager()) {
        new GradientCache<>(model.encoder(), model.infoNce(), chunk).backward(2048, Objective.Step.of(step));
      }
      System.out.println("growth_kb " + (GradientCacheTest.statusKb("VmHWM") - before));
    }
  }
}
