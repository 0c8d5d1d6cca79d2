package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.testing.CliRun;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.RunLog;
import dev.glimpse.util.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding models end to end through the CLI: a tiny MM-GEM trains (both paths logged), ends
 * with retrieval and captioning figures, captions, evaluates, embeds, builds an index and searches
 * it, and continues to stage 2 on regions; CLIP trains and refuses to caption; an HF CLIP folder is
 * evaluated and fine-tuned directly; bad input is one line each.
 */
class EmbeddingCliTest {
  @TempDir static Path tmp;
  static Path run;
  static Path images;
  static JsonObject trained;

  static final String TINY_VISION = """
      "vision": {"imageSize": 16, "patchSize": 8, "encoder": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64}}""";
  static final String TINY_DATA = """
      "data": {"trainSize": 300, "testSize": 12}, "tokenizer": {"vocabSize": 300, "sampleExamples": 300},
      "eval": {"batchSize": 6, "generation": {"maxNewTokens": 10}}""";

  static Path recipe(String name, String json) throws IOException {
    Path file = tmp.resolve(name + ".json");
    Files.writeString(file, json);
    return file;
  }

  @BeforeAll
  static void trainATinyMmGem() throws IOException {
    Path config = recipe("mmgem", """
        {"recipe": "mmgem-quick",
         "model": {"config": {%s,
                   "text": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64},
                   "embeddingDim": 24, "contextTokens": 2}},
         "train": {"steps": 8, "batchSize": 8, "warmupSteps": 2, "logEvery": 2, "checkpointEvery": 0},
         %s}""".formatted(TINY_VISION, TINY_DATA));
    run = tmp.resolve("mmgem");
    CliRun r = CliRun.of("train", "--config", config.toString(), "--out", run.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    trained = r.json();
    images = Files.createDirectories(tmp.resolve("images"));
    SyntheticCaptions scenes = new SyntheticCaptions(new SceneGenerator(SceneConfig.defaults().withSeed(9)), Split.VAL,
        6);
    for (int i = 0; i < scenes.size(); i++) {
      ImageIO.write(scenes.get(i).image(), "png", images.resolve("scene" + i + ".png").toFile());
    }
  }

  @Test
  void mmGemEndsWithRetrievalAndCaptioningFiguresAndLogsBothLosses() throws IOException {
    for (String key : List.of("r1_t2i", "r5_t2i", "r10_t2i", "r1_i2t", "r5_i2t", "r10_i2t", "mean_rank_t2i",
        "mean_rank_i2t", "shared_text_fraction", "cider", "long_r1_t2i", "zeroshot_top1")) {
      assertTrue(trained.has(key), "the final JSON has " + key + ": " + trained.keySet());
    }
    assertEquals(12, trained.get("images").getAsInt());
    assertEquals(72, trained.get("texts").getAsInt(), "six references per image");
    JsonObject generalisation = trained.getAsJsonObject("generalisation");
    assertEquals(40, generalisation.getAsJsonObject("external").get("images").getAsInt());
    List<String> lines = Files.readAllLines(run.resolve(RunLog.FILE));
    JsonObject record = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    for (String key : List.of("loss", "loss_emb", "loss_gen", "temperature")) {
      assertTrue(record.has(key), key + " in " + record);
    }
    assertEquals(record.get("loss").getAsDouble(),
        record.get("loss_emb").getAsDouble() + record.get("loss_gen").getAsDouble(), 1e-4, "L = L_emb + L_gen");
  }

  @Test
  void mmGemCaptionsEvaluatesAndEmbeds() throws IOException {
    CliRun caption = CliRun.of("caption", "--checkpoint", run.toString(), images.toString());
    assertEquals(0, caption.exitCode(), caption.err());
    assertEquals(6, caption.out().lines().count(), caption.out());

    CliRun eval = CliRun.of("eval", "--checkpoint", run.toString(), "--count", "6", "--out",
        tmp.resolve("eval").toString(), "--json");
    assertEquals(0, eval.exitCode(), eval.err());
    assertTrue(eval.json().has("r1_t2i") && eval.json().has("cider"), eval.out());

    Path out = tmp.resolve("images.safetensors");
    CliRun embed = CliRun.of("embed", "--checkpoint", run.toString(), "--images", images.toString(), "--out",
        out.toString(), "--json");
    assertEquals(0, embed.exitCode(), embed.err());
    SafeTensors.File file = SafeTensors.read(out);
    assertArrayEquals(new long[] {6, 24}, file.get("embeddings").shape());
    float[] values = file.get("embeddings").toFloats();
    for (int i = 0; i < 6; i++) {
      double norm = 0;
      for (int k = 0; k < 24; k++) {
        norm += values[i * 24 + k] * values[i * 24 + k];
      }
      assertEquals(1, norm, 1e-4, "unit rows");
    }
    JsonArray ids = JsonParser.parseString(file.metadata().get("ids")).getAsJsonArray();
    assertTrue(ids.get(0).getAsString().endsWith("scene0.png"), ids.toString());
    assertEquals("image", file.metadata().get("kind"));

    Path texts = tmp.resolve("texts.txt");
    Files.writeString(texts, "a large red circle on the left\na small blue square\n");
    CliRun embedTexts = CliRun.of("embed", "--checkpoint", run.toString(), "--texts", texts.toString(), "--out",
        tmp.resolve("texts.safetensors").toString());
    assertEquals(0, embedTexts.exitCode(), embedTexts.err());
    assertArrayEquals(new long[] {2, 24}, SafeTensors.read(tmp.resolve("texts.safetensors")).get("embeddings").shape());
  }

  @Test
  void indexBuildsAndItsHnswSearchAgreesWithExactSearch() {
    Path index = tmp.resolve("idx");
    CliRun build = CliRun.of("index", "build", "--checkpoint", run.toString(), "--images", images.toString(), "--out",
        index.toString(), "--json");
    assertEquals(0, build.exitCode(), build.err());
    assertEquals(6, build.json().get("count").getAsInt());
    CliRun hnsw = CliRun.of("search", "--index", index.toString(), "--text", "a large red circle", "--k", "4",
        "--json");
    assertEquals(0, hnsw.exitCode(), hnsw.err());
    CliRun exact = CliRun.of("search", "--index", index.toString(), "--text", "a large red circle", "--k", "4",
        "--exact", "--json");
    assertEquals(0, exact.exitCode(), exact.err());
    JsonArray a = hnsw.json().getAsJsonArray("hits");
    JsonArray b = exact.json().getAsJsonArray("hits");
    assertEquals(4, a.size());
    for (int i = 0; i < 4; i++) {
      JsonObject x = a.get(i).getAsJsonObject();
      JsonObject y = b.get(i).getAsJsonObject();
      assertEquals(y.get("path").getAsString(), x.get("path").getAsString());
      assertEquals(y.get("score").getAsDouble(), x.get("score").getAsDouble(), 1e-4);
    }
    CliRun byImage = CliRun.of("search", "--index", index.toString(), "--image", images.resolve("scene2.png").toString(),
        "--k", "1", "--json");
    assertEquals(0, byImage.exitCode(), byImage.err());
    JsonObject top = byImage.json().getAsJsonArray("hits").get(0).getAsJsonObject();
    assertTrue(top.get("path").getAsString().endsWith("scene2.png"), "an image finds itself first: " + top);
    assertEquals(1, top.get("score").getAsDouble(), 1e-4);
  }

  @Test
  void indexBuildsFromADatasetAndNamesHitsByTheirExamples() {
    Path index = tmp.resolve("idx-data");
    CliRun build = CliRun.of("index", "build", "--checkpoint", run.toString(), "--data", "synthetic:test", "--count", "8",
        "--out", index.toString(), "--json");
    assertEquals(0, build.exitCode(), build.err());
    assertEquals(8, build.json().get("count").getAsInt());
    CliRun hnsw = CliRun.of("search", "--index", index.toString(), "--text", "a small blue square", "--k", "8", "--json");
    CliRun exact = CliRun.of("search", "--index", index.toString(), "--text", "a small blue square", "--k", "8",
        "--exact", "--json");
    assertEquals(0, hnsw.exitCode(), hnsw.err());
    assertEquals(0, exact.exitCode(), exact.err());
    JsonArray a = hnsw.json().getAsJsonArray("hits");
    JsonArray b = exact.json().getAsJsonArray("hits");
    assertEquals(8, a.size(), "every indexed example is found");
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < 8; i++) {
      String path = a.get(i).getAsJsonObject().get("path").getAsString();
      assertEquals(b.get(i).getAsJsonObject().get("path").getAsString(), path);
      assertFalse(path.isBlank() || path.startsWith("#"), "hits are named by their examples: " + path);
      names.add(path);
    }
    assertEquals(8, names.size(), "eight different examples: " + names);
  }

  @Test
  void retrievalAndZeroShotCommandsOnSyntheticData() {
    CliRun retrieval = CliRun.of("eval", "retrieval", "--checkpoint", run.toString(), "--data", "synthetic",
        "--count", "8", "--json");
    assertEquals(0, retrieval.exitCode(), retrieval.err());
    JsonObject r = retrieval.json();
    for (String key : List.of("r1_t2i", "r5_t2i", "r10_t2i", "r1_i2t", "r5_i2t", "r10_i2t", "mean_rank_t2i",
        "mean_rank_i2t", "long_r1_t2i")) {
      assertTrue(r.has(key), key);
    }
    assertEquals(1.0, r.get("r10_t2i").getAsDouble(), 1e-9, "8 images: every text finds its image in the top 10");
    CliRun zeroShot = CliRun.of("eval", "zeroshot", "--checkpoint", run.toString(), "--data", "synthetic",
        "--count", "10", "--json");
    assertEquals(0, zeroShot.exitCode(), zeroShot.err());
    assertEquals(32, zeroShot.json().get("classes").getAsInt());
    assertEquals(10, zeroShot.json().get("samples").getAsInt());
    double top1 = zeroShot.json().get("top1").getAsDouble();
    double top5 = zeroShot.json().get("top5").getAsDouble();
    assertTrue(0 <= top1 && top1 <= top5 && top5 <= 1, "top1 " + top1 + " <= top5 " + top5);
    assertEquals(0, Math.round(top1 * 10) - top1 * 10, 1e-9, "a share of 10 images");
  }

  @Test
  void stageTwoTrainsOnlyItsHeadsAndRaisesNothingElse() throws IOException {
    CliRun stage1Regions = CliRun.of("eval", "--checkpoint", run.toString(), "--task", "regions", "--count", "6",
        "--out", tmp.resolve("s1-regions").toString(), "--json");
    assertEquals(0, stage1Regions.exitCode(), stage1Regions.err());
    JsonObject s1 = stage1Regions.json();
    assertTrue(s1.has("region_r1") && s1.has("region_cider") && s1.has("global_features") && s1.has("r1_t2i"),
        s1.keySet().toString());

    Path config = recipe("regions", """
        {"recipe": "mmgem-regions", "train": {"steps": 4, "batchSize": 8, "warmupSteps": 1, "logEvery": 2,
         "checkpointEvery": 0}, "data": {"trainSize": 200, "testSize": 6},
         "eval": {"batchSize": 6, "generation": {"maxNewTokens": 8}}}""");
    Path stage2 = tmp.resolve("regions");
    CliRun r = CliRun.of("train", "--config", config.toString(), "--init", run.toString(), "--out", stage2.toString(),
        "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("h4.weight") && r.err().contains("soft_prompts"), "new parts named: " + r.err());
    JsonObject s2 = r.json();
    assertTrue(s2.has("region_r1") && s2.has("region_cider") && s2.has("r1_t2i"), s2.keySet().toString());
    SafeTensors.File before = SafeTensors.read(Checkpoint.resolve(run).resolve(Checkpoint.WEIGHTS));
    SafeTensors.File after = SafeTensors.read(Checkpoint.resolve(stage2).resolve(Checkpoint.WEIGHTS));
    for (String frozen : List.of("h1.weight", "h2.weight", "vision.patch_embed.weight", "text.layers.0.attention.query.weight")) {
      assertArrayEquals(before.get(frozen).toFloats(), after.get(frozen).toFloats(), frozen + " stays as stage 1 left it");
    }
    assertFalse(java.util.Arrays.equals(before.get("h3.weight").toFloats(), after.get("h3.weight").toFloats()),
        "h3 trains");
    assertTrue(after.tensors().containsKey("h4.weight") && after.tensors().containsKey("soft_prompts"));
    // whole images do not go through h4: their embeddings, and so global retrieval, stay stage 1's
    Path e1 = tmp.resolve("stage1-images.safetensors");
    Path e2 = tmp.resolve("stage2-images.safetensors");
    for (Path[] pair : new Path[][] {{run, e1}, {stage2, e2}}) {
      CliRun embed = CliRun.of("embed", "--checkpoint", pair[0].toString(), "--images", images.toString(), "--out",
          pair[1].toString());
      assertEquals(0, embed.exitCode(), embed.err());
    }
    assertArrayEquals(SafeTensors.read(e1).get("embeddings").toFloats(), SafeTensors.read(e2).get("embeddings").toFloats(),
        1e-6f, "stage 2 leaves whole-image embeddings unchanged"); // float noise only: the weights are equal
  }

  @Test
  void clipTrainsContrastivelyAndDoesNotCaption() throws IOException {
    Path config = recipe("clip", """
        {"recipe": "clip-quick",
         "model": {"config": {"vision": {"imageSize": 16, "patchSize": 8,
                                          "encoder": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64}},
                              "text": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64},
                              "projectionDim": 16}},
         "train": {"steps": 6, "batchSize": 8, "warmupSteps": 2, "logEvery": 2, "checkpointEvery": 0},
         %s}""".formatted(TINY_DATA));
    Path clip = tmp.resolve("clip");
    CliRun r = CliRun.of("train", "--config", config.toString(), "--out", clip.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.json().has("r1_t2i") && r.json().has("r1_i2t"));
    assertFalse(r.json().has("cider"), "CLIP writes no captions");
    JsonObject record = JsonParser.parseString(Files.readAllLines(clip.resolve(RunLog.FILE)).get(0)).getAsJsonObject();
    assertTrue(record.has("loss_itc") && record.has("temperature"), record.toString());
    CliRun caption = CliRun.of("caption", "--checkpoint", clip.toString(), images.toString());
    assertEquals(Main.EXIT_USER_ERROR, caption.exitCode());
    assertTrue(caption.err().contains("does not generate text"), caption.err());
  }

  @Test
  void anHfClipFolderIsEvaluatedAndFineTunedDirectly() throws IOException {
    Path hf = hfClip();
    Path classes = tmp.resolve("classes");
    for (String c : List.of("red_circle", "blue_square")) {
      Path dir = Files.createDirectories(classes.resolve(c));
      for (int i = 0; i < 2; i++) {
        Files.copy(images.resolve("scene" + (c.startsWith("red") ? i : i + 2) + ".png"), dir.resolve(i + ".png"));
      }
    }
    CliRun zeroShot = CliRun.of("eval", "zeroshot", "--checkpoint", hf.toString(), "--data",
        "imagefolder:" + classes, "--json");
    assertEquals(0, zeroShot.exitCode(), zeroShot.err());
    assertEquals(2, zeroShot.json().get("classes").getAsInt());
    assertEquals(4, zeroShot.json().get("samples").getAsInt());
    Path jsonl = tmp.resolve("captions.jsonl");
    Files.writeString(jsonl, """
        {"image": "images/scene0.png", "caption": "a red circle"}
        {"image": "images/scene1.png", "caption": "a blue square"}
        {"image": "images/scene2.png", "caption": "a green star"}
        """);
    CliRun retrieval = CliRun.of("eval", "retrieval", "--checkpoint", hf.toString(), "--data", "jsonl:" + jsonl,
        "--json");
    assertEquals(0, retrieval.exitCode(), retrieval.err());
    assertEquals(3, retrieval.json().get("images").getAsInt());
    assertTrue(retrieval.json().has("mean_rank_i2t"));

    Path config = recipe("clip-ft", """
        {"recipe": "clip-quick", "train": {"steps": 2, "batchSize": 4, "warmupSteps": 1, "logEvery": 1,
         "checkpointEvery": 0, "learningRate": 1e-4}, "data": {"trainSize": 50, "testSize": 4},
         "eval": {"batchSize": 4}}""");
    CliRun fineTune = CliRun.of("train", "--config", config.toString(), "--init", hf.toString(), "--out",
        tmp.resolve("clip-ft").toString(), "--json");
    assertEquals(0, fineTune.exitCode(), fineTune.err());
    assertTrue(fineTune.json().has("r1_t2i"));
  }

  @Test
  void badInputIsOneClearLine() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertUserError(CliRun.of("index", "build", "--checkpoint", run.toString(), "--images", empty.toString(), "--out",
        tmp.resolve("idx-empty").toString()), "no image files");
    assertFalse(Files.exists(tmp.resolve("idx-empty")), "no index is left behind");
    assertUserError(CliRun.of("embed", "--checkpoint", run.toString(), "--images", empty.toString(), "--out",
        tmp.resolve("empty.safetensors").toString()), "no image files");
    assertFalse(Files.exists(tmp.resolve("empty.safetensors")), "no embeddings file is written");
    assertUserError(CliRun.of("eval", "zeroshot", "--checkpoint", run.toString(), "--data", "imagefolder:" + empty),
        empty.toString());

    Path blank = tmp.resolve("blank.txt");
    Files.writeString(blank, "a red circle\n\na blue square\n");
    assertUserError(CliRun.of("embed", "--checkpoint", run.toString(), "--texts", blank.toString(), "--out",
        tmp.resolve("x.safetensors").toString()), "line 2 is empty");
    assertUserError(CliRun.of("eval", "zeroshot", "--checkpoint", run.toString(), "--data", "synthetic",
        "--templates", blank.toString()), "line 2 is empty");
    Path noPlaceholder = tmp.resolve("templates.txt");
    Files.writeString(noPlaceholder, "a photo of a {}.\na picture\n");
    assertUserError(CliRun.of("eval", "zeroshot", "--checkpoint", run.toString(), "--data", "synthetic",
        "--templates", noPlaceholder.toString()), "line 2 has no {}");

    // an index built by one model cannot be searched with another's embeddings
    Path index = tmp.resolve("idx-mmgem");
    assertEquals(0, CliRun.of("index", "build", "--checkpoint", run.toString(), "--images", images.toString(), "--out",
        index.toString()).exitCode());
    Path hf = hfClip();
    assertUserError(CliRun.of("search", "--index", index.toString(), "--text", "a red circle", "--checkpoint",
        hf.toString()), "dimensional");
    Path other = tmp.resolve("mmgem-other");
    Path config = recipe("mmgem-other", """
        {"recipe": "mmgem-quick",
         "model": {"config": {%s,
                   "text": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64},
                   "embeddingDim": 24, "contextTokens": 2}},
         "train": {"steps": 2, "batchSize": 4, "warmupSteps": 1, "seed": 77, "checkpointEvery": 0}, %s}"""
        .formatted(TINY_VISION, TINY_DATA.replace("\"testSize\": 12", "\"testSize\": 0")));
    assertEquals(0, CliRun.of("train", "--config", config.toString(), "--out", other.toString()).exitCode());
    assertUserError(CliRun.of("search", "--index", index.toString(), "--text", "a red circle", "--checkpoint",
        other.toString()), "built with another model");
    assertUserError(CliRun.of("search", "--index", tmp.resolve("nowhere").toString(), "--text", "x"),
        "not a Glimpse index");
    assertUserError(CliRun.of("search", "--index", index.toString(), "--image", tmp.resolve("nowhere.png").toString()),
        "image not found");
  }

  static void assertUserError(CliRun r, String expected) {
    assertEquals(Main.EXIT_USER_ERROR, r.exitCode(), r.out() + r.err());
    List<String> lines = r.err().lines().filter(l -> l.startsWith("error:")).toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).contains(expected), "expected '" + expected + "' in: " + lines.get(0));
  }

  /** The HF CLIP parity fixture with the CLIP-style tokenizer beside it: an HF CLIP folder as users have one. */
  static Path hfClip() throws IOException {
    Path dir = tmp.resolve("hf-clip");
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Files.createDirectories(dir);
    for (String file : List.of("hf/clip/config.json", "hf/clip/model.safetensors", "hf-tokenizers/clip-bpe-99/tokenizer.json")) {
      Path source = HfCliTest.resource(file);
      Files.copy(source, dir.resolve(source.getFileName()));
    }
    return dir;
  }
}
