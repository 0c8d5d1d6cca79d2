package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.testing.CliRun;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

  private static final String LAYER = "{\"width\": 32, \"layers\": 1, \"heads\": 2, \"kvHeads\": 2, "
      + "\"mlpHidden\": 64}";

  /** A recipe shrunk to 3 steps of 4 on 60 items, a 1x32 GenLIP at 32x32. */
  private Path config(String recipe) throws Exception {
    return config(recipe, "\"imageSize\": 32, \"transformer\": " + LAYER);
  }

  private Path config(String recipe, String modelConfig) throws Exception {
    Path config = dir.resolve(recipe + ".json");
    Files.writeString(config, """
        {"recipe": "%s",
         "train": {"steps": 3, "batchSize": 4, "logEvery": 1, "warmupSteps": 1, "checkpointEvery": 3},
         "data": {"trainSize": 60, "testSize": 6},
         "tokenizer": {"sampleExamples": 60},
         "eval": {"batchSize": 3},
         "model": {"config": {%s}}}
        """.formatted(recipe, modelConfig));
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

  /** A connector recipe shrunk like {@link #config}: a 1x32 language model (and a 1x32 Q-Former, 4 queries). */
  private Path connectorConfig(String recipe) throws Exception {
    String qformer = recipe.startsWith("blip2") ? ", \"qformer\": {\"layers\": " + LAYER + ", \"numQueries\": 4}" : "";
    return config(recipe, "\"text\": " + LAYER + qformer);
  }

  @Test
  void llavaAndBlip2TrainOnAFrozenGenLipTowerCheckpoint() throws Exception {
    Path tower = dir.resolve("tower");
    CliRun stage1 = CliRun.of("train", "--config", config("genlip-tiny").toString(), "--out", tower.toString(),
        "--no-eval", "--json");
    assertEquals(0, stage1.exitCode(), stage1.err());
    Map<String, SafeTensors.Tensor> towerWeights = SafeTensors.read(tower.resolve("checkpoint/model.safetensors"))
        .tensors();
    JsonObject towerModel = JsonParser.parseString(Files.readString(tower.resolve("checkpoint/config.json")))
        .getAsJsonObject().getAsJsonObject("model");

    for (String recipe : new String[] {"llava-genlip-tiny", "blip2-genlip-tiny"}) {
      Path run = dir.resolve(recipe);
      CliRun train = CliRun.of("train", "--config", connectorConfig(recipe).toString(), "--vision-tower",
          tower.toString(), "--out", run.toString(), "--json");
      assertEquals(0, train.exitCode(), recipe + ": " + train.err());
      assertTrue(train.err().contains("vision tower: GenLIP ") && train.err().contains(" from " + tower), train.err());
      assertTrue(train.json().has("exact_match"), train.out());

      JsonObject saved = JsonParser.parseString(Files.readString(run.resolve("checkpoint/config.json")))
          .getAsJsonObject();
      JsonObject model = saved.getAsJsonObject("model");
      assertEquals(towerModel.get("transformer"), model.getAsJsonObject("genlipVision").get("transformer"),
          recipe + " names the checkpoint's encoder as its tower");
      assertEquals(32, model.getAsJsonObject("genlipVision").get("imageSize").getAsInt());
      assertTrue(model.get("vision") == null || model.get("vision").isJsonNull(), model.toString());
      assertEquals(32, saved.getAsJsonObject("image").get("height").getAsInt(), "the tower's preprocessing");

      // the tower was loaded and stayed frozen: its weights are the GenLIP checkpoint's, bit for bit
      Map<String, SafeTensors.Tensor> weights = SafeTensors.read(run.resolve("checkpoint/model.safetensors")).tensors();
      int compared = 0;
      for (Map.Entry<String, SafeTensors.Tensor> e : towerWeights.entrySet()) {
        SafeTensors.Tensor mine = weights.get("vision." + e.getKey());
        assertTrue(mine != null, recipe + " lacks vision." + e.getKey());
        assertArrayEquals(e.getValue().toFloats(), mine.toFloats(), recipe + ": vision." + e.getKey() + " changed");
        compared++;
      }
      assertTrue(compared > 4);

      CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--out", dir.resolve(recipe + "-eval").toString(),
          "--json");
      assertEquals(0, eval.exitCode(), eval.err());
      assertEquals(train.json().get("exact_match").getAsDouble(), eval.json().get("exact_match").getAsDouble(), 1e-9);

      CliRun export = CliRun.of("export", "hf", "--checkpoint", run.toString(), "--out",
          dir.resolve(recipe + "-hf").toString());
      assertTrue(export.exitCode() != 0);
      assertTrue(export.err().contains("GenLIP encoder"), export.err());
    }
  }

  @Test
  void visionTowerNeedsAConnectorRecipeAndANewRun() throws Exception {
    Path tower = dir.resolve("tower");
    CliRun stage1 = CliRun.of("train", "--config", config("genlip-tiny").toString(), "--out", tower.toString(),
        "--no-eval", "--steps", "1");
    assertEquals(0, stage1.exitCode(), stage1.err());

    // towers from checkpoints without a vision encoder are refused in ConnectorCliTest
    CliRun noTowerInRecipe = CliRun.of("train", "--config", config("genlip-quick").toString(), "--vision-tower",
        tower.toString(), "--out", dir.resolve("b").toString());
    assertEquals(2, noTowerInRecipe.exitCode());
    assertTrue(noTowerInRecipe.err().contains("need a recipe whose model joins a vision tower to a language model"), noTowerInRecipe.err());

    CliRun missing = CliRun.of("train", "--recipe", "llava-genlip-tiny", "--vision-tower",
        dir.resolve("nowhere").toString(), "--out", dir.resolve("c").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("--vision-tower: not found: "), missing.err());

    CliRun withInit = CliRun.of("train", "--recipe", "llava-genlip-tiny", "--vision-tower", tower.toString(),
        "--init", tower.toString(), "--out", dir.resolve("d").toString());
    assertEquals(2, withInit.exitCode());
    assertTrue(withInit.err().contains("cannot be combined with --init"), withInit.err());
    Path freezeNothing = dir.resolve("freeze.json");
    Files.writeString(freezeNothing, Files.readString(config("genlip-quick"))
        .replace("\"train\": {", "\"train\": {\"freeze\": [\"nothing.\"], "));
    CliRun badFreeze = CliRun.of("train", "--config", freezeNothing.toString(), "--out", dir.resolve("e").toString());
    assertEquals(2, badFreeze.exitCode());
    assertTrue(badFreeze.err().contains("train.freeze: no parameter of the genlip model starts with 'nothing.'"),
        badFreeze.err());
  }

  @Test
  void recipesListsTheGenlipRecipes() {
    CliRun list = CliRun.of("recipes");
    assertEquals(0, list.exitCode(), list.err());
    for (String recipe : new String[] {"genlip-quick", "genlip-tiny", "genlip-tiny-native", "genlip-git-tiny",
        "llava-genlip-tiny", "blip2-genlip-tiny"}) {
      assertTrue(list.out().lines().anyMatch(l -> l.startsWith(recipe + " ") && l.contains(" scenetext ")),
          list.out());
    }
  }

  @Test
  void benchPackingTimesThreeLayoutsAlternately() {
    CliRun bench = CliRun.of("bench", "packing", "--images", "6", "--budget", "9", "--layers", "1", "--rounds", "2",
        "--json");
    assertEquals(0, bench.exitCode(), bench.err());
    JsonObject r = bench.json();
    for (String key : new String[] {"packed_tokens_per_s", "padded_tokens_per_s", "longest_tokens_per_s", "speedup",
        "speedup_vs_longest"}) {
      assertTrue(r.get(key).getAsDouble() > 0, key + " in " + r);
    }
    assertEquals(2, r.get("rounds").getAsInt());
    for (String key : new String[] {"speedup_spread", "speedup_vs_longest_spread"}) {
      JsonObject spread = r.getAsJsonObject(key);
      assertEquals(2, spread.getAsJsonArray("rounds").size(), key);
      assertTrue(spread.get("min").getAsDouble() <= spread.get("median").getAsDouble()
          && spread.get("median").getAsDouble() <= spread.get("max").getAsDouble(), spread.toString());
    }
    assertEquals(r.get("speedup").getAsDouble(), r.getAsJsonObject("speedup_spread").get("median").getAsDouble());
    // the same 6 sequences: packed rows never hold more padding than one row per sequence padded to the
    // longest, which never holds more than padding every image to the largest height and width
    long real = r.get("real_tokens").getAsLong();
    long packed = r.get("packed_computed_tokens").getAsLong();
    long longest = r.get("longest_computed_tokens").getAsLong();
    long padded = r.get("padded_computed_tokens").getAsLong();
    assertTrue(real <= packed && packed <= longest && longest <= padded, real + " " + packed + " " + longest + " " + padded);
    assertEquals(6, r.get("longest_rows").getAsInt());
    assertEquals(6, r.get("padded_rows").getAsInt());
    assertEquals(6, r.get("wide_images").getAsInt() + r.get("tall_images").getAsInt()
        + r.get("square_images").getAsInt());
  }
}
