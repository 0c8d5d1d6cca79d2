package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GenLIP through the CLI, shrunk to a few steps of a very small model: genlip-quick trains and reports
 * caption CIDEr and scene-text exact_match, {@code eval --checkpoint} reproduces them; stage 2
 * (genlip-tiny-native) continues a genlip-tiny checkpoint with {@code --init}; the recipes are listed;
 * {@code bench packing --json} reports both throughputs and their ratio.
 */
class GenLipCliTest {
  @TempDir Path dir;

  private Path config(String recipe) throws Exception {
    Path config = dir.resolve(recipe + ".json");
    Files.writeString(config, """
        {"recipe": "%s",
         "train": {"steps": 3, "batchSize": 4, "logEvery": 1, "warmupSteps": 1, "checkpointEvery": 3},
         "data": {"trainSize": 60, "testSize": 6},
         "tokenizer": {"sampleExamples": 60},
         "eval": {"batchSize": 3},
         "model": {"config": {"imageSize": 32,
           "transformer": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64}}}}
        """.formatted(recipe));
    return config;
  }

  @Test
  void genlipQuickTrainsAndReportsCiderAndExactMatch() throws Exception {
    Path run = dir.resolve("quick");
    CliRun train = CliRun.of("train", "--config", config("genlip-quick").toString(), "--out", run.toString(), "--json");
    assertEquals(0, train.exitCode(), train.err());
    JsonObject summary = train.json();
    assertEquals(3, summary.get("steps").getAsInt());
    double exact = summary.get("exact_match").getAsDouble();
    assertTrue(exact >= 0 && exact <= 1, "exact_match = " + exact);
    assertTrue(summary.get("CIDEr").getAsDouble() >= 0, summary.toString());
    assertTrue(Files.exists(run.resolve("eval/reading_results.json")));
    assertTrue(Files.exists(run.resolve("eval/captions/captions_results.json")));
    JsonObject saved = JsonParser.parseString(Files.readString(run.resolve("checkpoint/config.json"))).getAsJsonObject();
    assertEquals("genlip", saved.get("model_type").getAsString());
    assertTrue(saved.getAsJsonObject("model").get("maxPatches").getAsInt() > 0, "native resolution is saved");

    CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--out", dir.resolve("quick-eval").toString(),
        "--json");
    assertEquals(0, eval.exitCode(), eval.err());
    assertEquals(exact, eval.json().get("exact_match").getAsDouble(), 1e-9, eval.out());
    assertEquals(summary.get("CIDEr").getAsDouble(), eval.json().get("CIDEr").getAsDouble(), 1e-9);
  }

  @Test
  void stageTwoContinuesAStageOneCheckpointAtNativeResolution() throws Exception {
    Path stage1 = dir.resolve("s1");
    CliRun first = CliRun.of("train", "--config", config("genlip-tiny").toString(), "--out", stage1.toString(),
        "--no-eval", "--json");
    assertEquals(0, first.exitCode(), first.err());
    Path stage2 = dir.resolve("s2");
    CliRun second = CliRun.of("train", "--config", config("genlip-tiny-native").toString(), "--init",
        stage1.toString(), "--out", stage2.toString(), "--no-eval", "--json");
    assertEquals(0, second.exitCode(), second.err());
    JsonObject s1 = JsonParser.parseString(Files.readString(stage1.resolve("checkpoint/config.json"))).getAsJsonObject()
        .getAsJsonObject("model");
    JsonObject s2 = JsonParser.parseString(Files.readString(stage2.resolve("checkpoint/config.json"))).getAsJsonObject()
        .getAsJsonObject("model");
    assertEquals(0, s1.get("maxPatches").getAsInt());
    assertEquals(36, s2.get("maxPatches").getAsInt());
    assertEquals(s1.get("transformer"), s2.get("transformer"));
    assertEquals(s1.get("vocabSize"), s2.get("vocabSize"));
  }

  @Test
  void recipesListsTheGenlipRecipes() {
    CliRun list = CliRun.of("recipes");
    assertEquals(0, list.exitCode(), list.err());
    for (String recipe : new String[] {"genlip-quick", "genlip-tiny", "genlip-tiny-native", "genlip-git-tiny"}) {
      assertTrue(list.out().lines().anyMatch(l -> l.startsWith(recipe + " ") && l.contains(" scenetext ")),
          list.out());
    }
  }

  @Test
  void benchPackingReportsSpeedup() {
    CliRun bench = CliRun.of("bench", "packing", "--images", "6", "--budget", "9", "--layers", "1", "--repeats", "1",
        "--json");
    assertEquals(0, bench.exitCode(), bench.err());
    JsonObject r = bench.json();
    assertTrue(r.get("packed_tokens_per_s").getAsDouble() > 0);
    assertTrue(r.get("padded_tokens_per_s").getAsDouble() > 0);
    assertEquals(r.get("packed_tokens_per_s").getAsDouble() / r.get("padded_tokens_per_s").getAsDouble(),
        r.get("speedup").getAsDouble(), 1e-9);
    assertTrue(r.get("padded_computed_tokens").getAsLong() >= r.get("real_tokens").getAsLong());
  }
}
