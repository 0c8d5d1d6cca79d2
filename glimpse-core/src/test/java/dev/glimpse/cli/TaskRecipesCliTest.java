package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each task's quick recipe, shrunk to a few steps of a very small model, trains and evaluates through
 * the CLI: the final JSON holds the task's headline figure (a fraction) and the standard metrics,
 * the official-format result files are written, and {@code eval --checkpoint} reproduces the figure.
 */
class TaskRecipesCliTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
      "vqa-quick, vqa_accuracy, eval/vqa_results.json",
      "ocr-quick, exact_match, eval/ocr_results.json",
      "video-quick, motion_accuracy, eval/captions_results.json",
      "classify-quick, top1, eval/classify_results.json"})
  void quickRecipeTrainsAndReportsItsHeadline(String recipe, String headline, String resultFile) throws Exception {
    Path config = dir.resolve(recipe + ".json");
    Files.writeString(config, """
        {"recipe": "%s",
         "train": {"steps": 3, "batchSize": 4, "logEvery": 1, "warmupSteps": 1, "checkpointEvery": 3},
         "data": {"trainSize": 60, "testSize": 5},
         "tokenizer": {"sampleExamples": 60},
         "eval": {"batchSize": 5},
         "model": {"config": {
           "vision": {"imageSize": 32, "encoder": {"width": 32, "layers": 1, "heads": 4, "kvHeads": 4, "mlpHidden": 64}},
           "decoder": {"width": 32, "layers": 1, "heads": 4, "kvHeads": 4, "mlpHidden": 64}}}}
        """.formatted(recipe));
    Path run = dir.resolve(recipe);
    CliRun train = CliRun.of("train", "--config", config.toString(), "--out", run.toString(), "--json");
    assertEquals(0, train.exitCode(), train.err());
    JsonObject summary = train.json();
    assertEquals(3, summary.get("steps").getAsInt());
    assertTrue(summary.has(headline), summary.toString());
    double value = summary.get(headline).getAsDouble();
    assertTrue(value >= 0 && value <= 1, headline + " = " + value);
    assertTrue(Files.exists(run.resolve(resultFile)), resultFile);
    if (recipe.equals("classify-quick")) {
      // constrained decoding: after 3 steps the model knows nothing, yet every prediction is a class name
      java.util.Set<String> classes = new java.util.HashSet<>(dev.glimpse.data.synth.SyntheticClassification.labels(
          dev.glimpse.data.synth.SceneConfig.defaults()));
      com.google.gson.JsonArray results = JsonParser.parseString(Files.readString(run.resolve(resultFile)))
          .getAsJsonArray();
      assertEquals(5, results.size());
      for (var r : results) {
        String prediction = r.getAsJsonObject().get("prediction").getAsString();
        assertTrue(classes.contains(prediction), "'" + prediction + "' is not one of " + classes);
      }
    }

    CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--out", dir.resolve(recipe + "-eval").toString(),
        "--json");
    assertEquals(0, eval.exitCode(), eval.err());
    assertEquals(value, eval.json().get(headline).getAsDouble(), 1e-9, eval.out());
  }

  @Test
  void evalDecodesAsTheRecipeUnlessDecodingFlagsAreGiven() throws Exception {
    Path config = dir.resolve("ocr-beam.json");
    Files.writeString(config, """
        {"recipe": "ocr-quick",
         "train": {"steps": 2, "batchSize": 4, "logEvery": 1, "warmupSteps": 1, "checkpointEvery": 2},
         "data": {"trainSize": 40, "testSize": 4},
         "eval": {"batchSize": 3, "generation": {"strategy": "BEAM", "maxNewTokens": 5, "numBeams": 2,
           "lengthPenalty": 1.0, "earlyStopping": false, "temperature": 1.0, "topK": 0, "topP": 1.0, "seed": 0,
           "useCache": true}},
         "model": {"config": {
           "vision": {"imageSize": 32, "encoder": {"width": 32, "layers": 1, "heads": 4, "kvHeads": 4, "mlpHidden": 64}},
           "decoder": {"width": 32, "layers": 1, "heads": 4, "kvHeads": 4, "mlpHidden": 64}}}}
        """);
    Path run = dir.resolve("ocr-beam");
    CliRun train = CliRun.of("train", "--config", config.toString(), "--out", run.toString(), "--json");
    assertEquals(0, train.exitCode(), train.err());
    double trained = train.json().get("exact_match").getAsDouble();

    CliRun saved = CliRun.of("eval", "--checkpoint", run.toString(), "--out", dir.resolve("e1").toString(),
        "--batch-size", "2", "--json");
    assertEquals(0, saved.exitCode(), saved.err());
    JsonObject decoding = saved.json().getAsJsonObject("decoding");
    assertEquals("BEAM", decoding.get("strategy").getAsString(), saved.out());
    assertEquals(2, decoding.get("numBeams").getAsInt());
    assertEquals(5, decoding.get("maxNewTokens").getAsInt());
    assertEquals(trained, saved.json().get("exact_match").getAsDouble(), 1e-9, "the recipe's decoding reproduces training's figure");

    CliRun flags = CliRun.of("eval", "--checkpoint", run.toString(), "--out", dir.resolve("e2").toString(),
        "--max-tokens", "3", "--json");
    assertEquals(0, flags.exitCode(), flags.err());
    assertEquals("GREEDY", flags.json().getAsJsonObject("decoding").get("strategy").getAsString(), flags.out());
    assertEquals(3, flags.json().getAsJsonObject("decoding").get("maxNewTokens").getAsInt());

    // a checkpoint written before the recipe's eval settings were saved: greedy, 32 tokens
    Path configFile = run.resolve("checkpoint/config.json");
    JsonObject old = JsonParser.parseString(Files.readString(configFile)).getAsJsonObject();
    assertTrue(old.remove("eval") != null, "the eval settings are saved with the checkpoint");
    Files.writeString(configFile, old.toString());
    CliRun older = CliRun.of("eval", "--checkpoint", run.toString(), "--out", dir.resolve("e3").toString(), "--json");
    assertEquals(0, older.exitCode(), older.err());
    assertEquals("GREEDY", older.json().getAsJsonObject("decoding").get("strategy").getAsString(), older.out());
    assertEquals(32, older.json().getAsJsonObject("decoding").get("maxNewTokens").getAsInt());

    Files.writeString(configFile, old.toString().replaceFirst("\\{", "{\"eval\": {\"batchSize\": 0},"));
    CliRun bad = CliRun.of("eval", "--checkpoint", run.toString(), "--json");
    assertEquals(2, bad.exitCode(), bad.out());
    assertTrue(bad.err().contains("invalid eval settings in") && bad.err().contains("config.json"), bad.err());
  }

  @ParameterizedTest
  @CsvSource({"vqa-quick, vqa", "ocr-quick, ocr", "video-quick, video", "classify-quick, classify",
      "vqa-tiny, vqa", "ocr-tiny, ocr", "video-tiny, video", "classify-tiny, classify"})
  void recipesListsEveryTaskRecipe(String recipe, String task) {
    CliRun list = CliRun.of("recipes");
    assertEquals(0, list.exitCode(), list.err());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith(recipe + " ") && l.contains(" " + task + " ")),
        list.out());
  }
}
