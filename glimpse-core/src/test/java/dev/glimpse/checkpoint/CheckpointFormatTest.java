package dev.glimpse.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.recipes.TrainRun;
import dev.glimpse.testing.CliRun;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.RunLog;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder written before the checkpoint format had one owner (src/test/resources/checkpoints,
 * see its README) still loads, captions as it did and resumes with the losses the old code gave;
 * what is written now round-trips through {@link CheckpointConfig}.
 */
class CheckpointFormatTest {
  private static final Path FIXTURES = Path.of("src/test/resources/checkpoints");
  private static final Path OLD_RUN = FIXTURES.resolve("v0-git-run");

  private static JsonObject expected() throws IOException {
    return JsonParser.parseString(Files.readString(FIXTURES.resolve("v0-git-run.expected.json"))).getAsJsonObject();
  }

  @Test
  void anOldCheckpointReadsAsVersionOne() {
    CheckpointConfig old = CheckpointConfig.read(OLD_RUN.resolve("checkpoint"));
    assertEquals("git", old.modelType());
    assertNull(old.tokenizer(), "version 1 did not record the tokenizer");
    assertEquals(List.of(), old.parameterGroups());
    assertEquals("fixture-tiny", old.recipe().name());
    assertEquals("captions", old.recipe().task());
    assertEquals(32, old.image().height());
  }

  @Test
  void anOldCheckpointCaptionsAsTheOldCodeDid() throws IOException {
    CliRun run = CliRun.of("caption", "--checkpoint", OLD_RUN.resolve("checkpoint").toString(), "--json",
        "src/test/resources/images/chelsea.png", "src/test/resources/images/rocket.jpg");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject want = expected().getAsJsonObject("captions_greedy_max_tokens_32");
    for (JsonElement c : run.json().getAsJsonArray("captions")) {
      String file = Path.of(c.getAsJsonObject().get("file").getAsString()).getFileName().toString();
      assertEquals(want.get(file).getAsString(), c.getAsJsonObject().get("caption").getAsString(), file);
    }
  }

  @Test
  void anOldRunResumesWithTheLossesTheOldCodeGave(@TempDir Path dir) throws IOException {
    Path run = dir.resolve("run");
    copy(OLD_RUN, run);
    TrainRun.run(null, new TrainRun.Options(run, true, Long.MAX_VALUE, false, true,
        new PrintStream(java.io.OutputStream.nullOutputStream())));
    List<String> lines = Files.readAllLines(run.resolve(RunLog.FILE));
    assertEquals(4, lines.size());
    for (JsonElement e : expected().getAsJsonArray("resumed_steps")) {
      JsonObject want = e.getAsJsonObject();
      JsonObject got = JsonParser.parseString(lines.get(want.get("step").getAsInt() - 1)).getAsJsonObject();
      double loss = want.get("loss").getAsDouble();
      double norm = want.get("grad_norm").getAsDouble();
      assertEquals(loss, got.get("loss").getAsDouble(), 1e-5 * loss, "loss at step " + want.get("step"));
      assertEquals(norm, got.get("grad_norm").getAsDouble(), 1e-5 * norm, "grad norm at step " + want.get("step"));
    }
    CheckpointConfig now = Checkpoint.readConfig(run.resolve("checkpoint"));
    assertEquals(CheckpointConfig.VERSION, JsonParser.parseString(Files.readString(run.resolve("checkpoint")
        .resolve(CheckpointConfig.FILE))).getAsJsonObject().get("format_version").getAsInt());
    assertEquals(300, now.tokenizer().vocabSize(), "the rewritten checkpoint records its tokenizer");
  }

  @Test
  void whatIsWrittenReadsBackTheSame(@TempDir Path dir) {
    CheckpointConfig old = CheckpointConfig.read(OLD_RUN.resolve("checkpoint"));
    CheckpointConfig withTokenizer = old.withTokenizer(new CheckpointConfig.TokenizerInfo("tokenizer.json", 300));
    Path folder = dir.resolve("c");
    AtomicFiles.write(folder.resolve("placeholder"), out -> out.write(new byte[0]));
    withTokenizer.write(folder);
    CheckpointConfig back = CheckpointConfig.read(folder);
    assertEquals(withTokenizer.toJson(), back.toJson());
    assertEquals(withTokenizer.model(), back.model());
  }

  @Test
  void aNewerFormatOrABrokenFileIsOneClearError(@TempDir Path dir) throws IOException {
    JsonObject json = CheckpointConfig.read(OLD_RUN.resolve("checkpoint")).toJson();
    json.addProperty("format_version", CheckpointConfig.VERSION + 1);
    GlimpseException newer = assertThrows(GlimpseException.class, () -> CheckpointConfig.fromJson(json, "x.json"));
    assertTrue(newer.getMessage().contains("update Glimpse"), newer.getMessage());
    Files.writeString(dir.resolve(CheckpointConfig.FILE), "[1, 2]");
    GlimpseException notObject = assertThrows(GlimpseException.class, () -> CheckpointConfig.read(dir));
    assertTrue(notObject.getMessage().contains("is not a JSON object"), notObject.getMessage());
    Files.writeString(dir.resolve(CheckpointConfig.FILE), "{\"model_type\": \"git\", \"model\": {\"decoder\": 3}}");
    GlimpseException bad = assertThrows(GlimpseException.class, () -> CheckpointConfig.read(dir));
    assertTrue(bad.getMessage().contains(dir.resolve(CheckpointConfig.FILE).toString()), bad.getMessage());
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
