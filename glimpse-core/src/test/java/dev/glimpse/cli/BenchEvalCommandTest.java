package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.glimpse.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchEvalCommandTest {
  @TempDir Path dir;

  @Test
  void timesTheMetricsAndWritesACorpusThatEvalCaptionsScoresTheSame() {
    CliRun bench =
        CliRun.of(
            "bench",
            "eval",
            "--images",
            "300",
            "--repeat",
            "2",
            "--write-corpus",
            dir.toString(),
            "--baseline-seconds",
            "10",
            "--json");
    assertEquals(0, bench.exitCode(), bench.err());
    JsonObject json = bench.json();
    JsonObject first = json.getAsJsonObject("first_run_seconds");
    for (String key :
        new String[] {"tokenize", "ngrams", "bleu", "rouge_l", "cider", "meteor", "total"}) {
      assertTrue(first.get(key).getAsDouble() >= 0, key);
    }
    assertEquals(10 / first.get("total").getAsDouble(), json.get("speedup").getAsDouble(), 1e-9);
    assertTrue(
        Files.exists(dir.resolve("annotations.json")) && Files.exists(dir.resolve("results.json")));

    CliRun eval =
        CliRun.of(
            "eval",
            "captions",
            "--annotations",
            dir.resolve("annotations.json").toString(),
            "--results",
            dir.resolve("results.json").toString(),
            "--json");
    assertEquals(0, eval.exitCode(), eval.err());
    JsonObject scores = json.getAsJsonObject("scores");
    for (String key : scores.keySet()) {
      assertEquals(scores.get(key).getAsDouble(), eval.json().get(key).getAsDouble(), 0.0, key);
    }
  }

  @Test
  void badArgumentsAreUserErrors() {
    CliRun run = CliRun.of("bench", "eval", "--images", "0");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("at least 1"), run.err());
    run = CliRun.of("bench", "eval", "--images", "10", "--baseline-seconds", "-1");
    assertEquals(2, run.exitCode());
  }
}
