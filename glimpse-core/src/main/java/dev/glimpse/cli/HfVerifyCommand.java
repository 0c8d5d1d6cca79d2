package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.hf.HfVerify;
import dev.glimpse.nn.Devices;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse hf verify}: a model's outputs against reference outputs of transformers. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Run a model (HF folder or Glimpse checkpoint) on reference inputs and compare with reference",
        "outputs from transformers: max |diff| per tensor, exact match of generated token ids.",
        "Exit code 0 when every tensor is within the tolerance and every sequence matches, 1 otherwise."})
public final class HfVerifyCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--model", required = true, paramLabel = "DIR|hf:ID",
      description = "HF model folder, checkpoint, or hub id hf:ORG/NAME[@REVISION].")
  String model;

  @Mixin HubOptions hub;

  @Option(names = "--inputs", required = true, paramLabel = "FILE",
      description = "safetensors with pixel_values and optionally input_ids, attention_mask.")
  Path inputs;

  @Option(names = "--expected", required = true, paramLabel = "FILE",
      description = "safetensors with reference outputs named as the HF parity fixtures (logits, "
          + "vision.hidden_states.0, generate.greedy, ...).")
  Path expected;

  @Option(names = "--num-beams", paramLabel = "N",
      description = "Beams of generate.beam (default: fixture_meta.json beside --expected, else generation_config.json).")
  Integer numBeams;

  @Option(names = "--tolerance", description = "Largest allowed max |diff| per tensor (default 1e-4).")
  double tolerance = HfVerify.DEFAULT_TOLERANCE;

  @Override
  public Integer call() {
    Path dir = hub.resolve(model);
    try (NDManager manager = Devices.cpuManager()) {
      JsonObject report = HfVerify.run(dir, inputs, expected, new HfVerify.Options(numBeams, tolerance), manager);
      if (!common.json) {
        common.info().printf("%s (%s) against %s:%n", model, report.get("model_type").getAsString(), expected);
        HfVerify.describe(report).forEach(common.info()::println);
        common.info().printf("ok: %s (max |diff| %.3g, tolerance %.0e)%n", report.get("ok").getAsBoolean(),
            report.get("max_abs_diff").getAsDouble(), tolerance);
      }
      common.printJson(report);
      return report.get("ok").getAsBoolean() ? 0 : 1;
    }
  }
}
