package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.testing.CliRun;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HF commands end to end: hf verify, import hf, export hf, HF folders as caption checkpoints. */
class HfCliTest {
  @TempDir static Path tmp;
  static Path image;

  @BeforeAll
  static void drawImage() throws IOException {
    BufferedImage img = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 80, 60);
    g.setColor(Color.RED);
    g.fillOval(10, 10, 30, 30);
    g.dispose();
    image = tmp.resolve("red.png");
    ImageIO.write(img, "png", image.toFile());
  }

  static Path resource(String name) {
    try {
      return Path.of(HfCliTest.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fixture's model files plus a tokenizer folder's files: an HF model folder as users have them. */
  static Path hfFolder(String fixture, String tokenizer) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(fixture + "-" + tokenizer));
    for (Path source : new Path[] {resource("hf/" + fixture), resource("hf-tokenizers/" + tokenizer)}) {
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          if (!name.startsWith("inputs.") && !name.startsWith("outputs.") && !Files.exists(dir.resolve(name))) {
            Files.copy(f, dir.resolve(name));
          }
        }
      }
    }
    return dir;
  }

  @Test
  void verifyPrintsPerTensorDiffsAndOk() {
    Path git = resource("hf/git");
    CliRun json = CliRun.of("hf", "verify", "--model", git.toString(), "--inputs", git.resolve("inputs.safetensors")
        .toString(), "--expected", git.resolve("outputs.safetensors").toString(), "--json");
    assertEquals(0, json.exitCode(), json.err());
    JsonObject report = json.json();
    assertTrue(report.get("ok").getAsBoolean());
    assertEquals(12, report.get("compared").getAsInt()); // 10 forward tensors + greedy scores + beam scores
    assertEquals(2, report.get("sequences_compared").getAsInt());
    assertTrue(report.get("max_abs_diff").getAsDouble() < 1e-4);

    CliRun human = CliRun.of("hf", "verify", "--model", git.toString(), "--inputs", git.resolve("inputs.safetensors")
        .toString(), "--expected", git.resolve("outputs.safetensors").toString());
    assertEquals(0, human.exitCode(), human.err());
    assertTrue(human.out().contains("generate.beam") && human.out().contains("token ids identical"), human.out());
    assertTrue(human.out().contains("ok: true"), human.out());
  }

  @Test
  void verifyFailsWithExitCodeOneWhenATensorDiffers() {
    Path git = resource("hf/git");
    CliRun run = CliRun.of("hf", "verify", "--model", git.toString(), "--inputs", git.resolve("inputs.safetensors")
        .toString(), "--expected", git.resolve("outputs.safetensors").toString(), "--tolerance", "1e-9", "--json");
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(!run.json().get("ok").getAsBoolean());
  }

  @Test
  void importExportAndVerifyTheImportedCheckpoint() throws IOException {
    Path blip2 = resource("hf/blip2");
    Path ckpt = tmp.resolve("blip2-ckpt");
    CliRun imported = CliRun.of("import", "hf", "--from", blip2.toString(), "--out", ckpt.toString(), "--json");
    assertEquals(0, imported.exitCode(), imported.err());
    assertEquals("blip-2", imported.json().get("hf_model_type").getAsString());
    assertTrue(Files.exists(ckpt.resolve("model.safetensors")));

    CliRun verified = CliRun.of("hf", "verify", "--model", ckpt.toString(), "--inputs",
        blip2.resolve("inputs.safetensors").toString(), "--expected", blip2.resolve("outputs.safetensors").toString(),
        "--json");
    assertEquals(0, verified.exitCode(), verified.err());

    Path out = tmp.resolve("blip2-hf");
    CliRun exported = CliRun.of("export", "hf", "--checkpoint", ckpt.toString(), "--out", out.toString(), "--json");
    assertEquals(0, exported.exitCode(), exported.err());
    assertTrue(Files.exists(out.resolve("model.safetensors")));
    assertEquals(JsonParser.parseString(Files.readString(blip2.resolve("config.json"))),
        JsonParser.parseString(Files.readString(out.resolve("config.json"))));
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(blip2.resolve("model.safetensors")),
        Files.readAllBytes(out.resolve("model.safetensors"))), "bit-identical model.safetensors");

    CliRun again = CliRun.of("import", "hf", "--from", blip2.toString(), "--out", ckpt.toString());
    assertEquals(2, again.exitCode());
    assertTrue(again.err().contains("--overwrite"), again.err());
  }

  @Test
  void badConfigIsOneClearError() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("bad-git"));
    for (String f : new String[] {"config.json", "model.safetensors"}) {
      Files.copy(resource("hf/git").resolve(f), dir.resolve(f));
    }
    JsonObject config = JsonParser.parseString(Files.readString(dir.resolve("config.json"))).getAsJsonObject();
    config.addProperty("position_embedding_type", "relative_key");
    Files.writeString(dir.resolve("config.json"), config.toString());
    CliRun run = CliRun.of("import", "hf", "--from", dir.toString(), "--out", tmp.resolve("bad-out").toString());
    assertEquals(2, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("'position_embedding_type'") && run.err().contains("relative_key"), run.err());
  }

  @Test
  void hfFoldersCaptionDirectly() throws IOException {
    String[][] cases = {{"git", "wordpiece-99"}, {"llava", "llama-bpe-120"}, {"blip2", "opt-bpe-120"}};
    for (String[] c : cases) {
      Path dir = hfFolder(c[0], c[1]);
      CliRun run = CliRun.of("caption", "--checkpoint", dir.toString(), image.toString(), "--max-tokens", "4",
          "--json");
      assertEquals(0, run.exitCode(), c[0] + ": " + run.err());
      JsonObject caption = run.json().getAsJsonArray("captions").get(0).getAsJsonObject();
      assertTrue(caption.has("caption"), run.out());
      CliRun beam = CliRun.of("caption", "--checkpoint", dir.toString(), image.toString(), "--max-tokens", "4",
          "--beam", "2", "--question", "what color is the circle?", "--json");
      assertEquals(0, beam.exitCode(), c[0] + ": " + beam.err());
    }
  }

  @Test
  void llavaQuestionWithAnImagePlaceholderIsExpandedAsTheProcessorDoes() throws IOException {
    Path dir = hfFolder("llava", "llama-bpe-120");
    CliRun run = CliRun.of("caption", "--checkpoint", dir.toString(), image.toString(), "--max-tokens", "3",
        "--question", "a <image> what color is the circle?", "--json");
    assertEquals(0, run.exitCode(), run.err());
  }

  @Test
  void foldersThatCannotCaptionSayWhy() throws IOException {
    CliRun clip = CliRun.of("caption", "--checkpoint", hfFolder("clip", "wordpiece-99").toString(), image.toString());
    assertEquals(2, clip.exitCode());
    assertTrue(clip.err().contains("does not generate text"), clip.err());
    CliRun noTokenizer = CliRun.of("caption", "--checkpoint", resource("hf/git").toString(), image.toString());
    assertEquals(2, noTokenizer.exitCode());
    assertTrue(noTokenizer.err().contains("tokenizer.json"), noTokenizer.err());
  }
}
