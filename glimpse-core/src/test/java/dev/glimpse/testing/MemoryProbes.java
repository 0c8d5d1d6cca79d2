package dev.glimpse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a memory probe (a class with a {@code main} that prints {@code growth_kb N}) in a fresh JVM on
 * one native thread, so that the resident-memory growth it measures is its own.
 */
public final class MemoryProbes {
  private MemoryProbes() {}

  /** The {@code growth_kb} the probe prints for {@code arg}; fails the test when it does not finish in time. */
  public static long growthKb(Class<?> probe, String arg, int timeoutSeconds) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Dai.djl.offline=true", "-Xmx1g", "-cp",
        System.getProperty("java.class.path"), probe.getName(), arg);
    pb.redirectErrorStream(true);
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process process = pb.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(line);
      }
    }
    assertTrue(process.waitFor(timeoutSeconds, TimeUnit.SECONDS), "probe finished");
    assertEquals(0, process.exitValue(), String.join("\n", lines));
    String result = lines.stream().filter(l -> l.startsWith("growth_kb ")).findFirst()
        .orElseThrow(() -> new AssertionError(String.join("\n", lines)));
    return Long.parseLong(result.substring("growth_kb ".length()).trim());
  }
}
