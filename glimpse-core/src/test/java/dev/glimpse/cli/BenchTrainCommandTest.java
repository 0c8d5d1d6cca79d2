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
  void timesARecipeAndARecipeFileAndProjectsTheirTrainingTime() throws Exception {
    Path file = dir.resolve("short.json");
    Files.writeString(file, "{\"recipe\": \"ocr-quick\", \"train\": {\"steps\": 600, \"batchSize\": 4}}");
    CliRun run = CliRun.of("bench", "train", "--recipe", "ocr-quick", "--recipe", file.toString(), "--steps", "1",
        "--skip-precision", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject json = run.json();
    assertTrue(json.has("tiny") && !json.has("small"), "GIT-tiny is the reference; small is skipped: " + json);
    double tinyStep = json.getAsJsonObject("tiny").get("seconds_per_step").getAsDouble();
    JsonObject named = json.getAsJsonObject("recipes").getAsJsonObject("ocr-quick");
    JsonObject fromFile = json.getAsJsonObject("recipes").getAsJsonObject(file.toString());
    assertEquals(16_000, named.get("steps").getAsInt());
    assertEquals(600, fromFile.get("steps").getAsInt());
    for (JsonObject r : new JsonObject[] {named, fromFile}) {
      double step = r.get("seconds_per_step").getAsDouble();
      assertTrue(step > 0, r.toString());
      assertEquals(r.get("steps").getAsInt() * step / 60, r.get("projected_train_minutes").getAsDouble(), 1e-9);
      assertEquals(step / tinyStep, r.get("step_vs_tiny").getAsDouble(), 1e-9);
    }
    // 16 examples of 128x128 per step against 4
    assertEquals(16, named.get("examples_per_s").getAsDouble() * named.get("seconds_per_step").getAsDouble(), 1e-6);
    assertEquals(4, fromFile.get("examples_per_s").getAsDouble() * fromFile.get("seconds_per_step").getAsDouble(),
        1e-6);
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
