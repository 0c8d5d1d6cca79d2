package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import dev.glimpse.bench.Bf16Probe;
import dev.glimpse.bench.MatmulPeak;
import dev.glimpse.bench.TrainBench;
import dev.glimpse.model.GitConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse bench train}: training tokens/s and MFU for the tiny and small GIT configs. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Training throughput and MFU (model FLOP/s over the fp32 matmul peak measured in this run) "
        + "for GIT tiny (D=256) and small (D=512); also compares fp32, fp16 and bf16 matmul speed.")
public final class BenchTrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--batch-size", description = "Examples per step (default 16).")
  int batchSize = 16;

  @Option(names = "--text-tokens", description = "Text positions per example (default 16; 64 image tokens).")
  int textTokens = 16;

  @Option(names = "--steps", description = "Measured steps per config after one warm-up step (default 4).")
  int steps = 4;

  @Option(names = "--skip-precision", description = "Skip the fp16/bf16 comparison.")
  boolean skipPrecision;

  @Override
  public Integer call() {
    JsonObject result = new JsonObject();
    try (NDManager manager = NDManager.newBaseManager()) {
      double peak = MatmulPeak.gflops(manager, 2048, 7, DataType.FLOAT32);
      common.info().printf("fp32 matmul peak (2048^3, median of 7): %.1f GFLOP/s%n", peak);
      result.addProperty("peak_fp32_gflops", peak);
      for (String name : new String[] {"tiny", "small"}) {
        GitConfig cfg = name.equals("tiny") ? GitConfig.tiny(512) : GitConfig.small(512);
        TrainBench.Result r = TrainBench.run(name, cfg, batchSize, textTokens, steps, peak);
        common.info().printf("%-5s D=%d  %,d params  %.0f tokens/s  (%.1f examples/s, %.2f s/step)  "
                + "model %.1f GFLOP/s  MFU %.1f%%%n", name, cfg.width(), r.parameters(), r.tokensPerSecond(),
            r.examplesPerSecond(), r.secondsPerStep(), r.modelGflops(), 100 * r.mfu());
        result.add(name, r.toJson());
      }
      // the peak may drift on a shared machine: measure again and report both
      double peakAfter = MatmulPeak.gflops(manager, 2048, 7, DataType.FLOAT32);
      result.addProperty("peak_fp32_gflops_after", peakAfter);
      if (!skipPrecision) {
        JsonObject precision = new JsonObject();
        double fp16 = MatmulPeak.gflops(manager, 512, 3, DataType.FLOAT16);
        Bf16Probe.Result bf16 = Bf16Probe.run();
        precision.addProperty("fp32_gflops", peak);
        precision.addProperty("fp16_gflops", fp16);
        precision.addProperty("bf16_supported", bf16.supported());
        if (bf16.supported()) {
          precision.addProperty("bf16_gflops", bf16.gflops());
        } else {
          precision.addProperty("bf16_detail", bf16.detail());
        }
        boolean bf16Faster = bf16.supported() && bf16.gflops() > peak;
        precision.addProperty("chosen", bf16Faster ? "bf16 (check accuracy)" : "fp32");
        result.add("precision", precision);
        common.info().printf("precision: fp32 %.1f GFLOP/s, fp16 %.1f GFLOP/s, bf16 %s -> training uses %s%n", peak,
            fp16, bf16.supported() ? String.format("%.1f GFLOP/s", bf16.gflops()) : "unavailable (" + bf16.detail() + ")",
            bf16Faster ? "bf16" : "fp32");
      }
    }
    common.printJson(result);
    return 0;
  }
}
