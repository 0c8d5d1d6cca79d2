package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.testing.CliRun;
import dev.glimpse.util.SafeTensors;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through the CLI: train a very small model from a recipe file, caption, evaluate; bad inputs. */
class TrainCaptionEvalCliTest {
  static final String SMALL_RECIPE = """
      {"recipe": "quickstart",
       "train": {"steps": 6, "batchSize": 4, "logEvery": 1, "warmupSteps": 1, "checkpointEvery": 3},
       "data": {"trainSize": 200, "testSize": 6},
       "tokenizer": {"sampleExamples": 100},
       "model": {"config": {
         "vision": {"imageSize": 32, "encoder": {"width": 32, "layers": 1, "heads": 4, "kvHeads": 4, "mlpHidden": 64}},
         "decoder": {"width": 32, "layers": 1, "heads": 4, "kvHeads": 4, "mlpHidden": 64}}}}
      """;

  @TempDir static Path dir;
  static Path run;
  static Path images;

  @BeforeAll
  static void trainOnce() throws Exception {
    Path recipe = dir.resolve("small.json");
    Files.writeString(recipe, SMALL_RECIPE);
    run = dir.resolve("run");
    CliRun train = CliRun.of("train", "--config", recipe.toString(), "--out", run.toString(), "--json");
    assertEquals(0, train.exitCode(), train.err());
    JsonObject summary = train.json();
    assertEquals(6, summary.get("steps").getAsInt());
    assertTrue(summary.has("attribute_accuracy"), summary.toString());
    assertTrue(summary.getAsJsonObject("caption_metrics").has("CIDEr"));
    for (String f : new String[] {"metrics.jsonl", "loss.png", "recipe.json", "checkpoint/model.safetensors",
        "checkpoint/config.json", "checkpoint/tokenizer.json", "checkpoint/optimizer.safetensors",
        "checkpoint/trainer_state.json", "eval/captions_results.json", "eval/captions_annotations.json"}) {
      assertTrue(Files.exists(run.resolve(f)), f);
    }
    assertEquals(6, Files.readAllLines(run.resolve("metrics.jsonl")).size());
    images = dir.resolve("images");
    Files.createDirectories(images);
    for (int i = 0; i < 3; i++) {
      BufferedImage img = new BufferedImage(64 + 40 * i, 64, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), 64);
      g.setColor(Color.RED);
      g.fillOval(10, 10, 30, 30);
      g.dispose();
      ImageIO.write(img, "png", images.resolve("img" + i + ".png").toFile());
    }
  }

  @Test
  void captionsAFolderAsJson() {
    CliRun r = CliRun.of("caption", "--checkpoint", run.toString(), images.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonArray captions = r.json().getAsJsonArray("captions");
    assertEquals(3, captions.size());
    assertTrue(captions.get(0).getAsJsonObject().get("file").getAsString().endsWith("img0.png"));
    CliRun beam = CliRun.of("caption", "--checkpoint", run.resolve("checkpoint").toString(),
        images.resolve("img1.png").toString(), "--beam", "3", "--max-tokens", "8");
    assertEquals(0, beam.exitCode(), beam.err());
    assertTrue(beam.out().startsWith(images.resolve("img1.png") + "\t"), beam.out());
  }

  @Test
  void evaluatesACheckpointAndWritesOfficialResultFiles() {
    Path out = dir.resolve("eval-out");
    CliRun r = CliRun.of("eval", "--checkpoint", run.toString(), "--count", "5", "--out", out.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonObject json = r.json();
    assertEquals(5, json.get("examples").getAsInt());
    assertTrue(json.has("attribute_accuracy"));
    assertTrue(Files.exists(out.resolve("captions_results.json")));
  }

  @Test
  void resumeContinuesToMoreSteps() {
    Path copy = dir.resolve("resume-run");
    CliRun first = CliRun.of("train", "--config", dir.resolve("small.json").toString(), "--out", copy.toString(),
        "--stop-after", "3", "--json");
    assertEquals(0, first.exitCode(), first.err());
    assertFalse(first.json().get("complete").getAsBoolean());
    CliRun resumed = CliRun.of("train", "--out", copy.toString(), "--resume", "--no-eval", "--json");
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertEquals(6, resumed.json().get("steps").getAsInt());
  }

  /**
   * In a process of its own, as a user runs it, a command prints Glimpse's lines only: no PyTorch C++
   * warning (loading weights once entered the deprecated AutoNonVariableTypeMode) and no DJL log
   * lines; with --verbose the libraries' informational lines come back.
   */
  @Test
  void aCommandInItsOwnProcessPrintsOnlyGlimpseLines() throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Djava.awt.headless=true",
        "dev.glimpse.cli.Main", "caption", "--checkpoint", run.toString(), images.resolve("img0.png").toString());
    String[] quiet = runProcess(command);
    assertEquals(1, quiet[0].lines().count(), quiet[0]);
    assertTrue(quiet[0].contains("img0.png"), quiet[0]);
    assertEquals("", quiet[1], "stderr of a quiet run");
    List<String> verboseCommand = new java.util.ArrayList<>(command);
    verboseCommand.add("--verbose");
    String[] verbose = runProcess(verboseCommand);
    assertTrue(verbose[1].contains("INFO ai.djl"), verbose[1]);
    assertFalse(verbose[1].contains("AutoNonVariableTypeMode"), verbose[1]);
  }

  /** {stdout, stderr} of a finished process that exited 0. */
  private static String[] runProcess(List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("OMP_NUM_THREADS", "1");
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "process finished");
    String[] texts = {Files.readString(out), Files.readString(err)};
    assertEquals(0, process.exitValue(), texts[0] + texts[1]);
    return texts;
  }

  private static void assertUserError(CliRun r, String expected) {
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
  }

  @Test
  void badInputsGiveOneClearLine() throws Exception {
    assertUserError(CliRun.of("train", "--recipe", "nope", "--out", dir.resolve("x").toString()), "unknown recipe 'nope'");
    assertUserError(CliRun.of("caption", "--checkpoint", dir.resolve("missing").toString(),
        images.resolve("img0.png").toString()), "checkpoint not found");
    assertUserError(CliRun.of("caption", "--checkpoint", run.toString(), dir.resolve("nothing.png").toString()),
        "image not found");
    Path corrupt = dir.resolve("corrupt.png");
    byte[] png = Files.readAllBytes(images.resolve("img0.png"));
    Files.write(corrupt, java.util.Arrays.copyOf(png, 60));
    assertUserError(CliRun.of("caption", "--checkpoint", run.toString(), corrupt.toString()), "corrupt.png");
    // A photograph cut off mid-stream: ImageIO would fill the rest with gray and caption it.
    byte[] photo;
    try (java.io.InputStream in = getClass().getResourceAsStream("/images/grace_hopper.jpg")) {
      photo = in.readAllBytes();
    }
    Path cut = dir.resolve("cut-off.jpg");
    Files.write(cut, java.util.Arrays.copyOf(photo, photo.length * 2 / 3));
    CliRun truncated = CliRun.of("caption", "--checkpoint", run.toString(), images.resolve("img0.png").toString(),
        cut.toString());
    assertUserError(truncated, "truncated JPEG image " + cut);
    assertEquals(1, truncated.err().lines().count(), truncated.err());
    assertEquals("", truncated.out());
    Path text = dir.resolve("notes.png");
    Files.writeString(text, "not an image");
    assertUserError(CliRun.of("caption", "--checkpoint", run.toString(), text.toString()), "unsupported");
    Path empty = dir.resolve("empty-folder");
    Files.createDirectories(empty);
    assertUserError(CliRun.of("caption", "--checkpoint", run.toString(), empty.toString()), "no image files");

    Path badValue = dir.resolve("bad-value.json");
    Files.writeString(badValue, "{\"recipe\": \"quickstart\", \"train\": {\"batchSize\": -3}}");
    assertUserError(CliRun.of("train", "--config", badValue.toString(), "--out", dir.resolve("y").toString()),
        "batchSize must be > 0");
    Path typo = dir.resolve("typo.json");
    Files.writeString(typo, "{\"recipe\": \"quickstart\", \"train\": {\"stpes\": 3}}");
    assertUserError(CliRun.of("train", "--config", typo.toString(), "--out", dir.resolve("z").toString()),
        "unknown field 'train.stpes'");
    Path notJson = dir.resolve("broken.json");
    Files.writeString(notJson, "{\"recipe\": ", StandardCharsets.UTF_8);
    assertUserError(CliRun.of("train", "--config", notJson.toString(), "--out", dir.resolve("w").toString()),
        "invalid JSON");
  }

  @Test
  void incompleteOrMismatchedCheckpointsAreNamed() throws Exception {
    Path broken = dir.resolve("broken-ckpt");
    Files.createDirectories(broken);
    for (String f : new String[] {"config.json", "tokenizer.json", "special_tokens.json"}) {
      Files.copy(run.resolve("checkpoint").resolve(f), broken.resolve(f));
    }
    assertUserError(CliRun.of("caption", "--checkpoint", broken.toString(), images.toString()),
        "missing model.safetensors");
    SafeTensors.File weights = SafeTensors.read(run.resolve("checkpoint/model.safetensors"));
    List<SafeTensors.Tensor> tensors = new java.util.ArrayList<>(weights.tensors().values());
    tensors.remove(0);
    tensors.add(SafeTensors.Tensor.ofFloats("decoder.extra.weight", new long[] {2}, new float[] {1, 2}));
    SafeTensors.write(broken.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
    CliRun r = CliRun.of("caption", "--checkpoint", broken.toString(), images.toString());
    assertUserError(r, "missing ");
    assertTrue(r.err().contains("unexpected decoder.extra.weight"), r.err());
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] cmd : new String[][] {{"--help"}, {"quickstart", "--help"}, {"train", "--help"},
        {"caption", "--help"}, {"eval", "--help"}, {"bench", "--help"}, {"bench", "train", "--help"},
        {"bench", "decode", "--help"}, {"data", "--help"}, {"recipes", "--help"}}) {
      CliRun r = CliRun.of(cmd);
      assertEquals(0, r.exitCode(), String.join(" ", cmd));
      assertTrue(r.out().contains("Usage"), String.join(" ", cmd));
    }
    CliRun list = CliRun.of("recipes", "--json");
    assertEquals(0, list.exitCode());
    assertTrue(list.json().getAsJsonArray("recipes").size() >= 3);
  }
}
