package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.glimpse.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench train --recipe}: a recipe's model is timed at its own batch size and text length, its
 * training time is projected from its step count, and its step is compared with GIT-tiny's of the
 * same run; recipe files work as names do; recipes that cannot be timed are user errors.
 */
class BenchTrainCommandTest {
  @TempDir Path dir;

  @Test
  void timesARecipeAndARecipeFileAlternatelyWithGitTiny() throws Exception {
    Path file = dir.resolve("short.json");
    Files.writeString(file, "{\"recipe\": \"ocr-quick\", \"train\": {\"steps\": 600, \"batchSize\": 4}}");
    CliRun run = CliRun.of("bench", "train", "--recipe", "ocr-quick", "--recipe", file.toString(), "--steps", "1",
        "--rounds", "2", "--peak-size", "256", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject json = run.json();
    assertTrue(json.has("tiny") && !json.has("small"), "GIT-tiny is the reference; small is skipped: " + json);
    assertEquals(2, json.get("rounds").getAsInt());
    JsonObject named = json.getAsJsonObject("recipes").getAsJsonObject("ocr-quick");
    JsonObject fromFile = json.getAsJsonObject("recipes").getAsJsonObject(file.toString());
    assertEquals(16_000, named.get("steps").getAsInt());
    assertEquals(600, fromFile.get("steps").getAsInt());
    for (JsonObject r : new JsonObject[] {named, fromFile, json.getAsJsonObject("tiny")}) {
      assertTrue(r.get("seconds_per_step").getAsDouble() > 0, r.toString());
      assertEquals(2, r.getAsJsonObject("seconds_per_step_spread").getAsJsonArray("rounds").size(), r.toString());
    }
    for (JsonObject r : new JsonObject[] {named, fromFile}) {
      JsonObject vsTiny = r.getAsJsonObject("step_vs_tiny_spread");
      assertEquals(2, vsTiny.getAsJsonArray("rounds").size());
      double ratio = r.get("step_vs_tiny").getAsDouble();
      assertTrue(vsTiny.get("min").getAsDouble() <= ratio && ratio <= vsTiny.get("max").getAsDouble(), r.toString());
    }
    // MFU is over the highest fp32 peak measured in the run (before, in each round, after)
    JsonObject peaks = json.getAsJsonObject("peak_fp32_gflops_measured");
    assertEquals(4, peaks.getAsJsonArray("rounds").size());
    assertEquals(peaks.get("max").getAsDouble(), json.get("peak_fp32_gflops").getAsDouble());
    JsonObject tiny = json.getAsJsonObject("tiny");
    assertEquals(tiny.get("model_gflops_per_s").getAsDouble() / peaks.get("max").getAsDouble(),
        tiny.get("mfu").getAsDouble(), 1e-12);
    // whatever the matmul speeds, the precision line never says training uses bf16: it does not
    JsonObject precision = json.getAsJsonObject("precision");
    assertEquals("fp32", precision.get("training_precision").getAsString());
    assertEquals("fp32", precision.get("chosen").getAsString());
    assertTrue(run.err().contains("training uses fp32"), run.err());
    assertFalse(run.err().contains("training uses bf16"), run.err());
  }

  @Test
  void unknownAndNonGitRecipesAreUserErrors() {
    CliRun unknown = CliRun.of("bench", "train", "--recipe", "no-such-recipe", "--skip-precision");
    assertEquals(2, unknown.exitCode(), unknown.err());
    assertTrue(unknown.err().contains("no-such-recipe"), unknown.err());
    assertFalse(unknown.err().contains("\tat "), "no stack trace: " + unknown.err());
    CliRun genlip = CliRun.of("bench", "train", "--recipe", "genlip-tiny", "--skip-precision");
    assertEquals(2, genlip.exitCode(), genlip.err());
    assertTrue(genlip.err().contains("only GIT recipes"), genlip.err());
  }
}
