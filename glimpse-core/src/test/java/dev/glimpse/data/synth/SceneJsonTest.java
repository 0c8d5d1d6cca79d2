package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.testing.TestScenes;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import org.junit.jupiter.api.Test;

class SceneJsonTest {
  @Test
  void scenesRoundTripThroughJsonText() {
    SceneGenerator generator = new SceneGenerator(SceneConfig.defaults());
    for (int i = 0; i < 200; i++) {
      Scene scene = generator.scene(Split.VAL, i);
      String text = Json.GSON.toJson(SceneJson.toJson(scene));
      Scene back = SceneJson.fromJson(JsonParser.parseString(text).getAsJsonObject(), "test");
      assertEquals(scene, back);
    }
  }

  @Test
  void derivedFieldsAreWritten() {
    SceneObject a = TestScenes.object(ShapeKind.CIRCLE, ColorName.RED, SizeKind.SMALL, 0.25, 0.5);
    SceneObject b = TestScenes.object(ShapeKind.SQUARE, ColorName.BLUE, SizeKind.LARGE, 0.75, 0.5);
    JsonObject json = SceneJson.toJson(TestScenes.scene(a, b));
    assertEquals("to the left of", json.get("relation").getAsString());
    assertEquals("left", json.getAsJsonArray("objects").get(0).getAsJsonObject().get("position").getAsString());
    assertEquals("#dc1e1e", json.getAsJsonArray("objects").get(0).getAsJsonObject().get("rgb").getAsString());
  }

  @Test
  void brokenRecordsGiveAClearError() {
    JsonObject json = SceneJson.toJson(TestScenes.scene(
        TestScenes.object(ShapeKind.CIRCLE, ColorName.RED, SizeKind.SMALL, 0.25, 0.5)));
    json.remove("width");
    GlimpseException e = assertThrows(GlimpseException.class, () -> SceneJson.fromJson(json, "scenes.json"));
    assertEquals("invalid scene record in scenes.json: a required field is missing", e.getMessage());
  }
}
