package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.glimpse.data.Images;
import dev.glimpse.eval.scene.AttributeAccuracy;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalShapesTest {
  @TempDir Path dir;

  @Test
  void bundledImagesMatchTheirLabels() {
    List<ExternalShapes.Item> items = ExternalShapes.load(ExternalShapes.BUNDLED);
    assertEquals(40, items.size());
    int nonSquare = 0;
    for (ExternalShapes.Item item : items) {
      BufferedImage image = Images.read(item.image());
      Scene scene = item.scene();
      assertEquals(scene.width(), image.getWidth());
      assertEquals(scene.height(), image.getHeight());
      assertTrue(scene.width() >= 64 && scene.width() <= 224 && scene.height() >= 64 && scene.height() <= 224);
      nonSquare += scene.width() != scene.height() ? 1 : 0;
      assertEquals(scene.background().fromRgb(), image.getRGB(0, 0) & 0xFFFFFF, item.image().toString());
      for (SceneObject o : scene.objects()) {
        int x = (int) (o.centerX() * scene.width());
        int y = (int) (o.centerY() * scene.height());
        assertEquals(o.rgb(), image.getRGB(x, y) & 0xFFFFFF, item.image() + " " + o);
        assertTrue(o.color().contains(o.rgb()), o.toString());
        assertTrue(scene.background().distanceTo(o.rgb()) >= SceneGenerator.MIN_CONTRAST);
      }
    }
    assertTrue(nonSquare >= 8, "non-square images: " + nonSquare);
  }

  /** A folder of the set's name without labels.json (an empty leftover of a moved tree) is passed over. */
  @Test
  void locateFindsFoldersThatHoldASet() throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("empty"));
    assertTrue(ExternalShapes.locate(dir.resolve("empty")).isEmpty());
    Path set = ExternalShapes.locate(ExternalShapes.FLAT).orElseThrow();
    assertTrue(java.nio.file.Files.isRegularFile(set.resolve("labels.json")), set.toString());
    assertEquals(set, ExternalShapes.locate(set).orElseThrow());
  }

  @Test
  void groundTruthCaptionsScorePerfectly() {
    List<ExternalShapes.Item> items = ExternalShapes.load(ExternalShapes.BUNDLED);
    List<Scene> scenes = ExternalShapes.scenes(items);
    for (int k = 0; k < 6; k++) {
      int wording = k;
      List<String> captions = scenes.stream().map(s -> CaptionGrammar.captions(s).get(wording)).toList();
      AttributeAccuracy.Result r = AttributeAccuracy.evaluate(scenes, captions);
      assertEquals(20, r.singleObjectScenes());
      assertEquals(20, r.twoObjectScenes());
      assertEquals(1.0, r.singleObjectColorShape());
      assertEquals(1.0, r.twoObjectCountRelationStrict());
      assertEquals(1.0, r.size());
      assertEquals(1.0, r.position());
    }
    JsonObject labels = Json.parse(ExternalShapes.BUNDLED.resolve("labels.json")).getAsJsonObject();
    List<String> labelled = labels.getAsJsonArray("images").asList().stream()
        .map(e -> e.getAsJsonObject().get("caption").getAsString()).toList();
    assertEquals(1.0, AttributeAccuracy.evaluate(scenes, labelled).twoObjectCountRelation());
  }

  /**
   * The larger set drawn by ImageMagick (make_flat_shapes.py): labels agree with the pixels, colors
   * lie in their named ranges, and white and black objects often sit next to near-white and
   * near-black backgrounds, closer than Glimpse's default scenes ever put them.
   */
  @Test
  void flatImagesMatchTheirLabels() {
    List<ExternalShapes.Item> items = ExternalShapes.load(ExternalShapes.FLAT);
    assertEquals(320, items.size());
    int nonSquare = 0;
    int close = 0;
    for (ExternalShapes.Item item : items) {
      // ImageMagick stores some as gray or palette PNGs: read as the model's input is
      BufferedImage image = Images.toRgb(Images.read(item.image()));
      Scene scene = item.scene();
      assertEquals(scene.width(), image.getWidth());
      assertEquals(scene.height(), image.getHeight());
      assertTrue(scene.width() >= 64 && scene.width() <= 224 && scene.height() >= 64 && scene.height() <= 224);
      nonSquare += scene.width() != scene.height() ? 1 : 0;
      assertEquals(scene.background().fromRgb(), image.getRGB(0, 0) & 0xFFFFFF, item.image().toString());
      for (SceneObject o : scene.objects()) {
        int x = (int) (o.centerX() * scene.width());
        int y = (int) (o.centerY() * scene.height());
        assertEquals(o.rgb(), image.getRGB(x, y) & 0xFFFFFF, item.image() + " " + o);
        assertTrue(o.color().contains(o.rgb()), o.toString());
        double distance = scene.background().distanceTo(o.rgb());
        assertTrue(distance >= 60, item.image() + ": " + distance);
        close += distance < SceneGenerator.MIN_CONTRAST ? 1 : 0;
      }
    }
    assertTrue(nonSquare >= 100, "non-square images: " + nonSquare);
    assertTrue(close >= 40, "objects closer to their background than the default scenes allow: " + close);
    List<Scene> scenes = ExternalShapes.scenes(items);
    AttributeAccuracy.Result truth = AttributeAccuracy.evaluate(scenes,
        scenes.stream().map(s -> CaptionGrammar.captions(s).get(0)).toList());
    assertEquals(160, truth.singleObjectScenes());
    assertEquals(160, truth.twoObjectScenes());
    assertEquals(1.0, truth.singleObjectColorShape());
    assertEquals(1.0, truth.twoObjectCountRelationStrict());
  }

  @Test
  void inconsistentLabelsAreRejected() throws Exception {
    String text = Files.readString(ExternalShapes.BUNDLED.resolve("labels.json"));
    Files.copy(ExternalShapes.BUNDLED.resolve("shape_000.png"), dir.resolve("shape_000.png"));
    JsonObject labels = Json.GSON.fromJson(text, JsonObject.class);
    JsonObject first = labels.getAsJsonArray("images").get(0).getAsJsonObject();
    first.getAsJsonArray("objects").get(0).getAsJsonObject().addProperty("position", "right");
    JsonObject doc = new JsonObject();
    com.google.gson.JsonArray images = new com.google.gson.JsonArray();
    images.add(first);
    doc.add("images", images);
    Json.write(dir.resolve("labels.json"), doc);
    GlimpseException e = assertThrows(GlimpseException.class, () -> ExternalShapes.load(dir));
    assertTrue(e.getMessage().contains("shape_000.png"), e.getMessage());
    assertThrows(GlimpseException.class, () -> ExternalShapes.load(dir.resolve("missing")));
  }
}
