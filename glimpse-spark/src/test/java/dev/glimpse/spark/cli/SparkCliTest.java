package dev.glimpse.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.spark.TestData;
import dev.glimpse.spark.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code glimpse spark caption|vqa|embed} end to end, in-process on the tests' local[2] session. */
class SparkCliTest {
  static SparkSession spark;
  static Path run;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.session();
    run = TestData.captionerRun();
  }

  /** The JSON lines of an output folder's part files, in part order. */
  static List<JsonObject> jsonLines(Path output) throws IOException {
    List<Path> parts;
    try (Stream<Path> list = Files.list(output)) {
      parts = list.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    List<JsonObject> rows = new ArrayList<>();
    for (Path p : parts) {
      for (String line : Files.readAllLines(p)) {
        if (!line.isBlank()) {
          rows.add(JsonParser.parseString(line).getAsJsonObject());
        }
      }
    }
    return rows;
  }

  @Test
  void sparkCaptionGivesRowForRowTheCaptionsOfGlimpseCaption(@TempDir Path dir) throws IOException {
    Path images = TestData.scenes("cli-caption", 11, 17);
    Cli reference = Cli.core("caption", "--checkpoint", run.toString(), images.toString(), "--json");
    assertEquals(0, reference.exitCode(), reference.err());
    JsonArray expected = reference.json().getAsJsonArray("captions");
    Path out = dir.resolve("captions");
    Cli job = Cli.spark("spark", "caption", "--input", images.toString(), "--output", out.toString(), "--checkpoint",
        run.toString(), "--format", "jsonl", "--partitions", "3", "--json");
    assertEquals(0, job.exitCode(), job.err());
    JsonObject summary = job.json();
    assertEquals(11, summary.get("rows").getAsLong());
    assertEquals(0, summary.get("errors").getAsLong());
    assertEquals(3, summary.get("partitions").getAsInt());
    List<JsonObject> rows = jsonLines(out);
    assertEquals(expected.size(), rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JsonObject want = expected.get(i).getAsJsonObject();
      JsonObject got = rows.get(i);
      assertTrue(got.get("path").getAsString().endsWith("/" + Path.of(want.get("file").getAsString()).getFileName()),
          "row " + i + ": " + got + " vs " + want);
      assertEquals(want.get("caption").getAsString(), got.get("caption").getAsString(), "row " + i);
      assertTrue(got.has("error") && got.get("error").isJsonNull(), got.toString());
    }
    // the same main class under spark-submit's form (no "spark" word); --overwrite replaces the output
    Cli again = Cli.spark("caption", "--input", images.toString(), "--output", out.toString(), "--checkpoint",
        run.toString(), "--format", "jsonl", "--overwrite", "--json");
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(rows, jsonLines(out));
    Cli refused = Cli.spark("caption", "--input", images.toString(), "--output", out.toString(), "--checkpoint",
        run.toString());
    assertEquals(2, refused.exitCode());
    assertTrue(refused.err().contains("already exists; pass --overwrite"), refused.err());
  }

  @Test
  void aThousandImagesGiveExactlyAThousandRows(@TempDir Path dir) {
    Path images = TestData.scenes("cli-thousand", 1000, 23);
    Path out = dir.resolve("thousand");
    Cli job = Cli.spark("spark", "caption", "--input", images.toString(), "--output", out.toString(), "--checkpoint",
        run.toString(), "--max-tokens", "3", "--batch-size", "32", "--json");
    assertEquals(0, job.exitCode(), job.err());
    assertEquals(1000, job.json().get("rows").getAsLong());
    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertEquals(1000, rows.size());
    Set<String> paths = new HashSet<>();
    for (Row r : rows) {
      paths.add(r.getString(0));
      assertNull(r.get(r.fieldIndex("error")));
    }
    assertEquals(1000, paths.size());
  }

  @Test
  void vqaOnATableWithRelativePathsAndAMissingImage(@TempDir Path dir) throws IOException {
    Path images = TestData.scenes("cli-vqa", 3, 29);
    Path table = dir.resolve("questions.jsonl");
    Files.createDirectories(dir.resolve("img"));
    for (int i = 0; i < 3; i++) {
      Files.copy(images.resolve(String.format("scene-%05d.png", i)), dir.resolve("img/q" + i + ".png"));
    }
    Files.writeString(table, """
        {"question_id": 1, "image": "img/q0.png", "question": "what color is the circle?"}
        {"question_id": 2, "image": "img/q1.png", "question": "how many shapes are there?"}
        {"question_id": 3, "image": "img/gone.png", "question": "what is it?"}
        {"question_id": 4, "image": "img/q2.png", "question": ""}
        """);
    Path out = dir.resolve("answers");
    Cli job = Cli.spark("spark", "vqa", "--input", table.toString(), "--output", out.toString(), "--checkpoint",
        run.toString(), "--format", "jsonl", "--max-tokens", "4", "--json");
    assertEquals(0, job.exitCode(), job.err());
    assertEquals(4, job.json().get("rows").getAsLong());
    assertEquals(2, job.json().get("errors").getAsLong());
    List<JsonObject> rows = jsonLines(out);
    assertEquals(List.of(1L, 2L, 3L, 4L), rows.stream().map(r -> r.get("question_id").getAsLong()).toList());
    assertTrue(rows.get(0).get("error").isJsonNull());
    assertTrue(rows.get(2).get("error").getAsString().contains("image not found"), rows.get(2).toString());
    assertTrue(rows.get(3).get("error").getAsString().contains("no question"), rows.get(3).toString());
    // answers are glimpse caption --question's
    Cli reference = Cli.core("caption", "--checkpoint", run.toString(), dir.resolve("img/q0.png").toString(),
        "--question", "what color is the circle?", "--max-tokens", "4", "--json");
    assertEquals(reference.json().getAsJsonArray("captions").get(0).getAsJsonObject().get("caption").getAsString(),
        rows.get(0).get("answer").getAsString());
    // a folder needs --question
    Cli noQuestion = Cli.spark("spark", "vqa", "--input", images.toString(), "--output", dir.resolve("x").toString(),
        "--checkpoint", run.toString());
    assertEquals(2, noQuestion.exitCode());
    assertTrue(noQuestion.err().contains("needs --question"), noQuestion.err());
  }

  @Test
  void embedImagesAndTexts(@TempDir Path dir) throws IOException {
    Path images = TestData.scenes("cli-embed", 4, 31);
    Path out = dir.resolve("embeddings");
    Cli job = Cli.spark("spark", "embed", "--input", images.toString(), "--output", out.toString(), "--checkpoint",
        TestData.clip().toString(), "--json");
    assertEquals(0, job.exitCode(), job.err());
    List<Row> rows = spark.read().parquet(out.toString()).collectAsList();
    assertEquals(4, rows.size());
    assertEquals(16, rows.get(0).getList(rows.get(0).fieldIndex("embedding")).size());
    Path texts = dir.resolve("texts.jsonl");
    Files.writeString(texts, "{\"id\": \"a\", \"text\": \"a red circle\"}\n{\"id\": \"b\", \"text\": null}\n");
    Path textOut = dir.resolve("text-embeddings");
    Cli textJob = Cli.spark("spark", "embed", "--input", texts.toString(), "--text-col", "text", "--output",
        textOut.toString(), "--checkpoint", TestData.clip().toString(), "--format", "jsonl", "--json");
    assertEquals(0, textJob.exitCode(), textJob.err());
    List<JsonObject> lines = jsonLines(textOut);
    assertEquals(2, lines.size());
    JsonArray v = lines.get(0).getAsJsonArray("embedding");
    double norm = 0;
    for (int i = 0; i < v.size(); i++) {
      norm += v.get(i).getAsDouble() * v.get(i).getAsDouble();
    }
    assertEquals(1.0, norm, 1e-4, "L2-normalised by default");
    assertTrue(lines.get(1).get("error").getAsString().contains("no text"), lines.get(1).toString());
  }

  @Test
  void benchSparkMeasuresBothSidesOnTheSameImages() {
    Cli bench = Cli.spark("bench", "spark", "--checkpoint", run.toString(), "--count", "6", "--repeats", "1",
        "--batch-size", "4", "--max-tokens", "3", "--json");
    assertEquals(0, bench.exitCode(), bench.err());
    JsonObject r = bench.json();
    assertEquals(6, r.get("images").getAsInt());
    JsonObject first = r.getAsJsonArray("runs").get(0).getAsJsonObject();
    assertEquals("local[2,2]", first.get("master").getAsString()); // the running session, left running
    assertEquals(2, first.get("single_threads").getAsInt());
    assertTrue(first.get("single_images_per_second").getAsDouble() > 0);
    assertTrue(first.get("spark_images_per_second").getAsDouble() > 0);
    assertEquals(first.get("spark_images_per_second").getAsDouble() / first.get("single_images_per_second")
        .getAsDouble(), r.get("ratio").getAsDouble(), 1e-9);
    assertTrue(first.get("executor_peak_rss_mb").getAsDouble() > 100, first.toString());
    assertTrue(!spark.sparkContext().isStopped());
  }

  @Test
  void badArgumentsGiveOneClearLine(@TempDir Path dir) {
    Cli noInput = Cli.spark("spark", "caption", "--input", dir.resolve("none").toString(), "--output",
        dir.resolve("o").toString(), "--checkpoint", run.toString());
    assertEquals(2, noInput.exitCode());
    assertTrue(noInput.err().startsWith("error: input not found"), noInput.err());
    Path images = TestData.scenes("cli-bad", 1, 37);
    Cli noModel = Cli.spark("spark", "caption", "--input", images.toString(), "--output", dir.resolve("o").toString(),
        "--checkpoint", dir.resolve("no-model").toString());
    assertEquals(2, noModel.exitCode());
    assertTrue(noModel.err().startsWith("error: checkpoint not found"), noModel.err());
    Cli wrongModel = Cli.spark("spark", "caption", "--input", images.toString(), "--output",
        dir.resolve("o2").toString(), "--checkpoint", TestData.clip().toString());
    assertEquals(2, wrongModel.exitCode());
    assertTrue(wrongModel.err().contains("does not generate text"), wrongModel.err());
    Cli both = Cli.spark("spark", "caption", "--input", images.toString(), "--output", dir.resolve("o3").toString(),
        "--checkpoint", run.toString(), "--beam", "2", "--sample");
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("not both"), both.err());
    Cli missingJob = Cli.spark("spark");
    assertEquals(2, missingJob.exitCode());
  }
}
