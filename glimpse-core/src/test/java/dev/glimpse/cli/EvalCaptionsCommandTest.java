package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.testing.CliRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every documented behaviour of {@code glimpse eval captions}, on the toolkit's fixture corpus. */
class EvalCaptionsCommandTest {
  @TempDir Path dir;
  private JsonObject fixture;
  private Path annotations;
  private Path results;

  @BeforeEach
  void writeCocoFiles() throws IOException {
    try (InputStream in =
        getClass().getResourceAsStream("/fixtures/metrics/caption_corpus_small.json")) {
      fixture =
          JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
              .getAsJsonObject();
    }
    JsonArray images = new JsonArray();
    JsonArray anns = new JsonArray();
    JsonArray res = new JsonArray();
    for (JsonElement e : fixture.getAsJsonArray("images")) {
      JsonObject item = e.getAsJsonObject();
      JsonObject image = new JsonObject();
      image.add("id", item.get("image_id"));
      images.add(image);
      for (JsonElement ref : item.getAsJsonArray("refs")) {
        JsonObject a = new JsonObject();
        a.add("image_id", item.get("image_id"));
        a.add("caption", ref);
        anns.add(a);
      }
      res.add(result(item.get("image_id").getAsLong(), item.get("candidate").getAsString()));
    }
    JsonObject ann = new JsonObject();
    ann.add("images", images);
    ann.add("annotations", anns);
    annotations = write("annotations.json", ann.toString());
    results = write("results.json", res.toString());
  }

  private static JsonObject result(long imageId, String caption) {
    JsonObject r = new JsonObject();
    r.addProperty("image_id", imageId);
    r.addProperty("caption", caption);
    return r;
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private JsonArray resultsArray() throws IOException {
    return JsonParser.parseString(Files.readString(results)).getAsJsonArray();
  }

  private CliRun run(String... extra) {
    String[] base = {
      "eval", "captions", "--annotations", annotations.toString(), "--results", results.toString()
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.of(args);
  }

  private static void assertUserError(CliRun run, String... fragments) {
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("error: "), run.err());
    for (String f : fragments) {
      assertTrue(run.err().contains(f), "expected '" + f + "' in: " + run.err());
    }
  }

  @Test
  void jsonMatchesToolkitAndNamesUnavailableMetrics() {
    CliRun run = run("--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject json = run.json();
    JsonObject expected = fixture.getAsJsonObject("expected").getAsJsonObject("corpus");
    for (String key : expected.keySet()) {
      assertEquals(expected.get(key).getAsDouble(), json.get(key).getAsDouble(), 1e-12, key);
    }
    assertTrue(json.get("SPICE").isJsonNull());
    assertTrue(json.getAsJsonObject("unavailable").has("SPICE"));
    assertTrue(json.get("METEOR_variant").getAsString().startsWith("exact+stem"));
    assertEquals(100, json.get("images").getAsInt());
    assertEquals(0, json.getAsJsonArray("warnings").size());
    assertTrue(!json.has("per_image"));
  }

  @Test
  void humanOutputHasTheToolkitKeysAndLabelsMeteor() {
    CliRun run = run();
    assertEquals(0, run.exitCode(), run.err());
    for (String key : new String[] {"Bleu_1", "Bleu_4", "ROUGE_L", "CIDEr"}) {
      assertTrue(run.out().contains(key + ": "), run.out());
    }
    assertTrue(run.out().contains("METEOR: ") && run.out().contains("exact+stem"), run.out());
    assertTrue(run.out().contains("SPICE: not available"), run.out());
  }

  @Test
  void perImageScoresMatchToolkit() {
    JsonObject json = run("--json", "--per-image", "--no-meteor").json();
    JsonArray perImage = json.getAsJsonArray("per_image");
    JsonObject expected = fixture.getAsJsonObject("expected").getAsJsonObject("per_image");
    assertEquals(100, perImage.size());
    for (int i = 0; i < perImage.size(); i++) {
      JsonObject image = perImage.get(i).getAsJsonObject();
      assertEquals(
          fixture.getAsJsonObject("expected").getAsJsonArray("image_order").get(i).getAsLong(),
          image.get("image_id").getAsLong());
      for (String key : expected.keySet()) {
        assertEquals(
            expected.getAsJsonArray(key).get(i).getAsDouble(), image.get(key).getAsDouble(), 1e-12);
      }
    }
    assertTrue(json.get("METEOR").isJsonNull());
    assertTrue(run("--per-image").out().contains("image_id\tBleu_1"));
  }

  @Test
  void resultForUnknownImageIsAnErrorNamingTheIds() throws IOException {
    JsonArray res = resultsArray();
    res.add(result(987654321L, "a cat"));
    res.add(result(987654322L, "a dog"));
    write("results.json", res.toString());
    assertUserError(run(), "results.json", "2 result image ids are not in", "987654321, 987654322");
  }

  @Test
  void duplicateResultIsAnError() throws IOException {
    JsonArray res = resultsArray();
    res.add(res.get(3).deepCopy());
    write("results.json", res.toString());
    assertUserError(
        run(),
        "results.json",
        "more than one result",
        res.get(3).getAsJsonObject().get("image_id").getAsString());
  }

  @Test
  void missingResultsAreAnErrorUnlessSubset() throws IOException {
    JsonArray res = resultsArray();
    JsonArray kept = new JsonArray();
    for (int i = 0; i < 60; i++) {
      kept.add(res.get(i));
    }
    write("results.json", kept.toString());
    assertUserError(run(), "no result for 40 of the 100 images", "--subset");
    CliRun subset = run("--subset", "--json");
    assertEquals(0, subset.exitCode(), subset.err());
    assertEquals(60, subset.json().get("images").getAsInt());
    assertTrue(subset.err().contains("warning: --subset: scoring the 60 images"), subset.err());
    assertEquals(1, subset.json().getAsJsonArray("warnings").size());
  }

  @Test
  void emptyCandidateIsAWarningAndScoredAsEmpty() throws IOException {
    JsonArray res = resultsArray();
    res.get(0).getAsJsonObject().addProperty("caption", "  ");
    write("results.json", res.toString());
    CliRun run = run("--json", "--per-image", "--no-meteor");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.err().contains("warning: ") && run.err().contains("1 empty candidate captions"),
        run.err());
    JsonObject first = run.json().getAsJsonArray("per_image").get(0).getAsJsonObject();
    assertEquals(0.0, first.get("CIDEr").getAsDouble());
    assertEquals(0.0, first.get("ROUGE_L").getAsDouble());
  }

  @Test
  void nonUtf8IsAnErrorNamingTheFile() throws IOException {
    Files.write(
        results, new byte[] {'[', '{', '"', 'c', '"', ':', '"', (byte) 0xE9, '"', '}', ']'});
    assertUserError(run(), "not valid UTF-8", "results.json");
  }

  @Test
  void malformedJsonIsAnErrorNamingTheFile() throws IOException {
    write("results.json", "[{\"image_id\": 1, \"caption\": \"a dog\"");
    assertUserError(run(), "invalid JSON", "results.json");
  }

  @Test
  void wrongSchemaIsAnErrorNamingFileAndField() throws IOException {
    write("results.json", "[{\"image_id\": 1, \"caption\": 5}]");
    assertUserError(run(), "results.json: [0].caption: expected a string, got a number (5)");
    write("results.json", "[{\"caption\": \"a dog\"}]");
    assertUserError(run(), "results.json: [0]: missing field \"image_id\"");
    write("results.json", "{\"image_id\": 1}");
    assertUserError(run(), "results.json: top level: expected an array, got an object");
    write("results.json", "[{\"image_id\": 1.5, \"caption\": \"a\"}]");
    assertUserError(run(), "[0].image_id: expected an integer or string id");
    write("results.json", "[]");
    assertUserError(run(), "results.json: no results");
    write("annotations.json", "{\"images\": [{\"id\": 1}], \"annotations\": [{\"image_id\": 1}]}");
    assertUserError(run(), "annotations.json: annotations[0]: missing field \"caption\"");
    write("annotations.json", "{\"annotations\": []}");
    assertUserError(run(), "annotations.json: top level: missing field \"images\"");
  }

  @Test
  void annotationProblems() throws IOException {
    write(
        "annotations.json",
        "{\"images\": [{\"id\": 1}, {\"id\": 2}], \"annotations\": [{\"image_id\": 1, \"caption\":"
            + " \"a dog\"}]}");
    write(
        "results.json",
        "[{\"image_id\": 1, \"caption\": \"a dog\"}, {\"image_id\": 2, \"caption\": \"a cat\"}]");
    assertUserError(run(), "annotations.json", "1 images have no reference caption (ids 2)");
    write("annotations.json", "{\"images\": [{\"id\": 1}, {\"id\": 1}], \"annotations\": []}");
    assertUserError(run(), "images[1].id", "appears more than once");
  }

  @Test
  void captionsForImagesMissingFromImagesAreIgnoredWithAWarning() throws IOException {
    write(
        "annotations.json",
        "{\"images\": [{\"id\": 1}, {\"id\": 2}], \"annotations\": [{\"image_id\": 1, \"caption\":"
            + " \"a dog\"}, {\"image_id\": 2, \"caption\": \"a cat\"}, {\"image_id\": 3,"
            + " \"caption\": \"a cow\"}]}");
    write(
        "results.json",
        "[{\"image_id\": \"1\", \"caption\": \"a dog\"}, {\"image_id\": 2, \"caption\": \"a"
            + " cat\"}]");
    CliRun run = run("--json");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(
        run.err().contains("1 captions refer to image ids not in \"images\" (ids 3)"), run.err());
    assertEquals(2, run.json().get("images").getAsInt());
  }
}
