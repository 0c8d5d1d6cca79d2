package dev.glimpse.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.nn.Devices;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks in a child JVM whether the engine can compute in bfloat16: with DJL 0.35.1's PyTorch JNI
 * creating a BF16 array aborts the whole process, so the probe must not run in-process.
 */
public final class Bf16Probe {
  private Bf16Probe() {}

  /** Child entry point: prints the bf16 matmul GFLOP/s, or dies. */
  public static void main(String[] args) {
    try (NDManager m = Devices.cpuManager()) {
      NDArray a = m.randomNormal(new Shape(1024, 1024)).toType(DataType.BFLOAT16, false);
      NDArray b = m.randomNormal(new Shape(1024, 1024)).toType(DataType.BFLOAT16, false);
      a.matMul(b);
      long t0 = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        a.matMul(b).toType(DataType.FLOAT32, false).getFloat(0, 0);
      }
      double seconds = (System.nanoTime() - t0) / 1e9 / 3;
      System.out.println("BF16_GFLOPS " + 2.0 * 1024 * 1024 * 1024 / seconds / 1e9);
    }
  }

  /** Result of the probe: GFLOP/s, or why bf16 is not usable. */
  public record Result(boolean supported, double gflops, String detail) {}

  public static Result run() {
    String javaBin = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-Dai.djl.offline=true",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"),
        Bf16Probe.class.getName()));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(false, 0, "probe timed out");
      }
      for (String line : output.split("\n")) {
        if (line.startsWith("BF16_GFLOPS ")) {
          return new Result(true, Double.parseDouble(line.substring(12).trim()), "ok");
        }
      }
      String last = output.isBlank() ? "" : output.strip().lines().reduce((x, y) -> y).orElse("").toString();
      return new Result(false, 0, "the engine aborted on a BF16 tensor (exit " + p.exitValue() + ": " + last + ")");
    } catch (java.io.IOException e) {
      return new Result(false, 0, "could not start the probe: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(false, 0, "interrupted");
    }
  }
}
