package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import dev.glimpse.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asking for CUDA where the engine has none is one clear line, before any work; --device cpu runs. */
class DeviceCliTest {
  @Test
  void cudaWithoutCudaNativesIsOneClearLineBeforeAnyWork(@TempDir Path dir) {
    Assumptions.assumeTrue(Engine.getInstance().getGpuCount() == 0, "this engine has CUDA");
    for (String[] args : new String[][] {
        {"train", "--recipe", "quickstart", "--device", "cuda", "--out", dir.resolve("run").toString()},
        {"caption", "--checkpoint", dir.toString(), "--device", "cuda:0", "src/test/resources/images/chelsea.png"},
        {"eval", "--checkpoint", dir.toString(), "--device", "cuda"}}) {
      CliRun run = CliRun.of(args);
      assertEquals(Main.EXIT_USER_ERROR, run.exitCode(), run.err());
      assertEquals(1, run.err().strip().lines().count(), run.err());
      assertTrue(run.err().startsWith("error: --device cuda"), run.err());
    }
    assertFalse(Files.exists(dir.resolve("run")), "nothing was written");
  }

  @Test
  void cpuIsTheDefaultAndCanBeNamed(@TempDir Path dir) {
    CliRun run = CliRun.of("train", "--recipe", "quickstart", "--steps", "2", "--no-eval", "--device", "cpu",
        "--out", dir.resolve("run").toString(), "--json");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(2, run.json().get("steps").getAsInt());
  }
}
