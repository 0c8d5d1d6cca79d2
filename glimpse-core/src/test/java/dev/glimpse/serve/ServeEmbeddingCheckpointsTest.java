package dev.glimpse.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Images;
import dev.glimpse.embed.Embeddings;
import dev.glimpse.testing.CliRun;
import dev.glimpse.testing.HfFolders;
import dev.glimpse.train.LoadedModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/embeddings} with checkpoints trained by Glimpse (a tiny MM-GEM and a tiny CLIP, through
 * {@code glimpse train}): the vectors are those of {@code glimpse embed} ({@link Embeddings}), texts
 * read with each model's own special tokens (MM-GEM at {@code [EMB]}); MM-GEM's caption-only ablation,
 * never trained to embed, is served for chat instead.
 */
class ServeEmbeddingCheckpointsTest {
  @TempDir static Path tmp;
  static TestServer server;
  static final Map<String, Path> models = new LinkedHashMap<>();
  static final String IMAGE = HfFolders.dataUrl(HfFolders.picture(5, 40, 36));

  static final String VISION = """
      "vision": {"imageSize": 16, "patchSize": 8, "encoder": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64}},
      "text": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64}""";
  static final String REST = """
      "train": {"steps": 4, "batchSize": 8, "warmupSteps": 1, "checkpointEvery": 0},
      "data": {"trainSize": 200, "testSize": 0}, "tokenizer": {"vocabSize": 300, "sampleExamples": 200}""";

  static Path train(String name, String recipe, String model) throws IOException {
    Path config = tmp.resolve(name + ".json");
    Files.writeString(config, """
        {"recipe": "%s", "model": {"config": {%s, %s}}, %s}""".formatted(recipe, VISION, model, REST));
    Path out = tmp.resolve(name);
    CliRun r = CliRun.of("train", "--config", config.toString(), "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    return out;
  }

  @BeforeAll
  static void start() throws IOException {
    models.put("mmgem", train("mmgem", "mmgem-quick", "\"embeddingDim\": 24, \"contextTokens\": 2"));
    models.put("clip", train("clip", "clip-quick", "\"projectionDim\": 16"));
    models.put("mmgem-cap", train("mmgem-cap", "mmgem-quick",
        "\"embeddingDim\": 24, \"contextTokens\": 2, \"objectives\": \"generation\""));
    server = new TestServer(ServeOptions.defaults(), models);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void trainedMmGemAndClipServeTheVectorsOfGlimpseEmbed() {
    List<String> texts = List.of("a large red circle above a small blue star", "a green square");
    for (String name : List.of("mmgem", "clip")) {
      JsonObject body = new JsonObject();
      body.addProperty("model", name);
      JsonArray input = new JsonArray();
      input.add(texts.get(0));
      JsonObject image = new JsonObject();
      image.addProperty("type", "image_url");
      JsonObject url = new JsonObject();
      url.addProperty("url", IMAGE);
      image.add("image_url", url);
      input.add(image);
      input.add(texts.get(1));
      body.add("input", input);
      TestServer.Reply r = server.post("/v1/embeddings", body);
      assertEquals(200, r.status(), r.body());
      JsonArray data = r.json().getAsJsonArray("data");
      assertEquals(3, data.size());
      float[][] got = new float[3][];
      for (int i = 0; i < 3; i++) {
        JsonArray v = data.get(i).getAsJsonObject().getAsJsonArray("embedding");
        got[i] = new float[v.size()];
        for (int k = 0; k < v.size(); k++) {
          got[i][k] = v.get(k).getAsFloat();
        }
      }
      int dim = name.equals("mmgem") ? 24 : 16;
      assertEquals(dim, server.get("/v1/models/" + name).json().get("dimensions").getAsInt());
      assertEquals("embeddings", server.get("/v1/models/" + name).json().get("kind").getAsString());
      try (NDManager m = NDManager.newBaseManager(); LoadedModel loaded = LoadedModel.load(models.get(name), m)) {
        Embeddings embeddings = Embeddings.of(loaded);
        float[][] wantTexts = embeddings.texts(texts, 4, null);
        BufferedImage picture = Images.decodeRgb(Base64.getDecoder().decode(IMAGE.substring(IMAGE.indexOf(',') + 1)),
            "test");
        float[][] wantImage = embeddings.images(List.of(picture), 1, null);
        assertEquals(dim, wantTexts[0].length);
        assertArrayEquals(wantTexts[0], got[0], 1e-5f, name + " text 0");
        assertArrayEquals(wantImage[0], got[1], 1e-5f, name + " image");
        assertArrayEquals(wantTexts[1], got[2], 1e-5f, name + " text 1");
      }
    }
  }

  @Test
  void theCaptionOnlyAblationServesChatNotEmbeddings() {
    assertEquals("chat", server.get("/v1/models/mmgem-cap").json().get("kind").getAsString());
    JsonObject body = new JsonObject();
    body.addProperty("model", "mmgem-cap");
    body.addProperty("input", "a red circle");
    TestServer.Reply r = server.post("/v1/embeddings", body);
    assertEquals(400, r.status(), r.body());
    assertTrue(r.error().get("message").getAsString().contains("not embeddings"), r.body());
  }
}
