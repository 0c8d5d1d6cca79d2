package dev.glimpse.data.synth;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenes as JSON (the ground truth written next to the images), and back. Names are lower case
 * ("circle", "red", "large", "left"), colors are "#rrggbb", boxes are COCO {@code [x, y, w, h]}:
 *
 * <pre>{@code
 * {"width": 128, "height": 96, "antialias": true, "noise_amplitude": 0, "noise_seed": 123,
 *  "background": {"kind": "plain", "description": "plain white", "from": "white", "from_rgb": "#ffffff",
 *                 "to": "white", "to_rgb": "#ffffff", "angle": 0.0, "texture_amplitude": 0},
 *  "objects": [{"shape": "circle", "color": "red", "rgb": "#dc1e1e", "size": "large",
 *               "center_x": 0.3, "center_y": 0.5, "radius": 21.5, "rotation": 0.0,
 *               "bbox": [17, 27, 43, 43], "position": "left"}],
 *  "relation": "to the left of"}
 * }</pre>
 *
 * {@code position} (each object's position were it alone) and {@code relation} (of the first object
 * to the second, two-object scenes only) are derived and ignored when reading.
 */
public final class SceneJson {
  private SceneJson() {}

  public static JsonObject toJson(Scene scene) {
    JsonObject json = new JsonObject();
    json.addProperty("width", scene.width());
    json.addProperty("height", scene.height());
    json.addProperty("antialias", scene.antialias());
    json.addProperty("noise_amplitude", scene.noiseAmplitude());
    json.addProperty("noise_seed", scene.noiseSeed());
    Background b = scene.background();
    JsonObject background = new JsonObject();
    background.addProperty("kind", b.kind().name().toLowerCase(Locale.ROOT));
    background.addProperty("description", b.describe());
    background.addProperty("from", b.fromName());
    background.addProperty("from_rgb", hex(b.fromRgb()));
    background.addProperty("to", b.toName());
    background.addProperty("to_rgb", hex(b.toRgb()));
    background.addProperty("angle", b.angle());
    background.addProperty("texture_amplitude", b.textureAmplitude());
    json.add("background", background);
    JsonArray objects = new JsonArray();
    for (SceneObject o : scene.objects()) {
      objects.add(toJson(o));
    }
    json.add("objects", objects);
    if (scene.relation() != null) {
      json.addProperty("relation", scene.relation().phrase());
    }
    return json;
  }

  public static JsonObject toJson(SceneObject o) {
    JsonObject json = new JsonObject();
    json.addProperty("shape", o.shape().word());
    json.addProperty("color", o.color().word());
    json.addProperty("rgb", hex(o.rgb()));
    json.addProperty("size", o.size().word());
    json.addProperty("center_x", o.centerX());
    json.addProperty("center_y", o.centerY());
    json.addProperty("radius", o.radius());
    json.addProperty("rotation", o.rotation());
    json.add("bbox", box(o.box()));
    json.addProperty("position", o.position().word());
    return json;
  }

  /** Reads a scene written by {@link #toJson(Scene)}; {@code where} names the source in errors. */
  public static Scene fromJson(JsonObject json, String where) {
    try {
      JsonObject b = json.getAsJsonObject("background");
      Background background = new Background(
          Background.Kind.valueOf(b.get("kind").getAsString().toUpperCase(Locale.ROOT)),
          b.get("from").getAsString(), rgb(b.get("from_rgb").getAsString()),
          b.get("to").getAsString(), rgb(b.get("to_rgb").getAsString()),
          b.get("angle").getAsDouble(), b.get("texture_amplitude").getAsInt());
      List<SceneObject> objects = new ArrayList<>();
      for (JsonElement e : json.getAsJsonArray("objects")) {
        objects.add(objectFromJson(e.getAsJsonObject(), where));
      }
      return new Scene(json.get("width").getAsInt(), json.get("height").getAsInt(), background, objects,
          json.get("antialias").getAsBoolean(), json.get("noise_amplitude").getAsInt(),
          json.get("noise_seed").getAsLong());
    } catch (RuntimeException e) {
      throw new GlimpseException("invalid scene record in " + where + ": " + describe(e), e);
    }
  }

  static SceneObject objectFromJson(JsonObject o, String where) {
    ShapeKind shape = ShapeKind.fromWord(o.get("shape").getAsString());
    ColorName color = ColorName.fromWord(o.get("color").getAsString());
    SizeKind size = SizeKind.fromWord(o.get("size").getAsString());
    if (shape == null || color == null || size == null) {
      throw new GlimpseException("invalid object in " + where + ": unknown shape, color or size in " + o);
    }
    JsonArray bbox = o.getAsJsonArray("bbox");
    Box box = new Box(bbox.get(0).getAsInt(), bbox.get(1).getAsInt(), bbox.get(2).getAsInt(), bbox.get(3).getAsInt());
    int rgb = o.has("rgb") ? rgb(o.get("rgb").getAsString()) : color.baseRgb();
    double rotation = o.has("rotation") ? o.get("rotation").getAsDouble() : 0;
    return new SceneObject(shape, color, rgb, size, o.get("center_x").getAsDouble(),
        o.get("center_y").getAsDouble(), o.get("radius").getAsDouble(), rotation, box);
  }

  public static JsonArray box(Box box) {
    JsonArray array = new JsonArray();
    for (int v : box.toArray()) {
      array.add(v);
    }
    return array;
  }

  /** "#rrggbb". */
  public static String hex(int rgb) {
    return String.format(Locale.ROOT, "#%06x", rgb & 0xFFFFFF);
  }

  /** Parses "#rrggbb". */
  public static int rgb(String hex) {
    if (!hex.matches("#[0-9a-fA-F]{6}")) {
      throw new IllegalArgumentException("expected a color like #a0b1c2, got '" + hex + "'");
    }
    return Integer.parseInt(hex.substring(1), 16);
  }

  private static String describe(RuntimeException e) {
    if (e instanceof NullPointerException) {
      return "a required field is missing";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
