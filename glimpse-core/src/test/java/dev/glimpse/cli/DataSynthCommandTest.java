package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.data.Images;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.SceneJson;
import dev.glimpse.data.synth.Split;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSynthCommandTest {
  @TempDir Path dir;

  @Test
  void writesLoadableCocoCaptionsAndDecodablePngs() throws Exception {
    Path out = dir.resolve("synth");
    String stdout = captureStdout(() -> assertEquals(0,
        Main.execute("data", "synth", "--out", out.toString(), "--split", "val", "--count", "12",
            "--seed", "5", "--json")));
    JsonObject result = Json.GSON.fromJson(stdout, JsonObject.class);
    assertEquals("val", result.get("split").getAsString());
    assertEquals(12, result.get("images").getAsInt());
    assertEquals(72, result.get("captions").getAsInt());
    assertEquals(out.toString(), result.get("out").getAsString());

    JsonObject coco = Json.parse(out.resolve("annotations/captions_val.json")).getAsJsonObject();
    assertEquals(12, coco.getAsJsonArray("images").size());
    assertEquals(72, coco.getAsJsonArray("annotations").size());
    Set<Long> imageIds = new HashSet<>();
    SceneGenerator generator = new SceneGenerator(SceneConfig.defaults().withSeed(5));
    for (JsonElement e : coco.getAsJsonArray("images")) {
      JsonObject image = e.getAsJsonObject();
      long id = image.get("id").getAsLong();
      imageIds.add(id);
      BufferedImage png = Images.read(out.resolve("images/val").resolve(image.get("file_name").getAsString()));
      assertEquals(image.get("width").getAsInt(), png.getWidth());
      assertEquals(image.get("height").getAsInt(), png.getHeight());
      BufferedImage expected = generator.render(generator.scene(Split.VAL, id));
      assertEquals(expected.getRGB(png.getWidth() / 2, png.getHeight() / 3) & 0xFFFFFF,
          png.getRGB(png.getWidth() / 2, png.getHeight() / 3) & 0xFFFFFF);
    }
    Set<Long> annotationIds = new HashSet<>();
    for (JsonElement e : coco.getAsJsonArray("annotations")) {
      JsonObject a = e.getAsJsonObject();
      assertTrue(imageIds.contains(a.get("image_id").getAsLong()));
      assertTrue(annotationIds.add(a.get("id").getAsLong()), "duplicate annotation id");
      assertTrue(!a.get("caption").getAsString().isBlank());
    }
    JsonObject scenes = Json.parse(out.resolve("annotations/scenes_val.json")).getAsJsonObject();
    JsonObject first = scenes.getAsJsonArray("scenes").get(0).getAsJsonObject();
    assertEquals(generator.scene(Split.VAL, 0), SceneJson.fromJson(first, "scenes_val.json"));
    assertEquals(6, first.getAsJsonArray("captions").size());
  }

  @Test
  void badValuesAreUserErrors() throws Exception {
    Path out = dir.resolve("x");
    assertEquals(2, Main.execute("data", "synth", "--out", out.toString(), "--count", "-1"));
    assertEquals(2, Main.execute("data", "synth", "--out", out.toString(), "--count", "0"));
    assertEquals(2, Main.execute("data", "synth", "--out", out.toString(), "--split", "holdout"));
    assertEquals(2, Main.execute("data", "synth", "--out", out.toString(), "--count", "many"));
    assertEquals(2, Main.execute("data", "synth", "--count", "3"));
    Path file = Files.writeString(dir.resolve("file.txt"), "not a folder");
    assertEquals(2, Main.execute("data", "synth", "--out", file.toString(), "--count", "1"));
    assertEquals(2, Main.execute("data", "synth", "--out", file.resolve("below").toString(), "--count", "1"));
  }

  @Test
  void writesSuiteTasks() throws Exception {
    Path out = dir.resolve("suite");
    String stdout = captureStdout(() -> assertEquals(0,
        Main.execute("data", "synth", "--suite", "captions,video", "--split", "test", "--count", "2",
            "--out", out.toString(), "--json")));
    JsonObject result = Json.GSON.fromJson(stdout, JsonObject.class);
    assertEquals(2, result.getAsJsonArray("written").size());
    assertTrue(Files.isRegularFile(out.resolve("captions/annotations/captions_test.json")));
    assertTrue(Files.isRegularFile(out.resolve("video/videodatainfo_test.json")));
    assertTrue(Files.isRegularFile(out.resolve("suite.json")));
    assertEquals(2, Main.execute("data", "synth", "--suite", "audio", "--out", out.toString(), "--count", "1"));
  }

  private static String captureStdout(Runnable body) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
