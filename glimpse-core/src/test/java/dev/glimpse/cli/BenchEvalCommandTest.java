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
    // the toolkit figure is a fresh-process one unless said otherwise: compared with the first run
    assertEquals("fresh-process", json.get("baseline_kind").getAsString());
    assertEquals(json.get("speedup").getAsDouble(), json.get("speedup_like_for_like").getAsDouble());
    assertEquals(1, json.getAsJsonObject("warm_total_seconds").getAsJsonArray("rounds").size());
    assertTrue(bench.err().contains("a fresh-process figure"), bench.err());
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
  void aWarmToolkitFigureIsComparedWithWarmRuns() {
    CliRun bench = CliRun.of("bench", "eval", "--images", "100", "--repeat", "3", "--no-meteor",
        "--baseline-seconds", "2", "--baseline-kind", "warm", "--json");
    assertEquals(0, bench.exitCode(), bench.err());
    JsonObject json = bench.json();
    assertEquals("warm", json.get("baseline_kind").getAsString());
    JsonObject warm = json.getAsJsonObject("warm_total_seconds");
    assertEquals(2, warm.getAsJsonArray("rounds").size());
    assertEquals(2 / warm.get("median").getAsDouble(), json.get("speedup_like_for_like").getAsDouble(), 1e-9);
    assertTrue(bench.err().contains("a warm figure (compared like for like with Glimpse's warm runs)"), bench.err());
    CliRun single = CliRun.of("bench", "eval", "--images", "50", "--repeat", "1", "--no-meteor",
        "--baseline-seconds", "2", "--baseline-kind", "warm", "--json");
    assertEquals(0, single.exitCode(), single.err());
    assertTrue(!single.json().has("speedup_like_for_like"), single.out());
    CliRun bad = CliRun.of("bench", "eval", "--images", "10", "--baseline-seconds", "1", "--baseline-kind", "lukewarm");
    assertEquals(2, bad.exitCode(), bad.err());
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
