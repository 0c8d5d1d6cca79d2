package dev.glimpse.data.synth;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Images drawn by another program, with ground truth in this package's vocabulary, so a captioner
 * trained on synthetic scenes can be checked on pictures it has never seen the like of. The bundled
 * set ({@link #BUNDLED}, made by {@code make_shapes.py} there: 40 PNGs, 20 with one object and 20
 * with two, no antialiasing, plain CSS colors on plain backgrounds, 64–224 px, some non-square) is
 * read with {@link #load}; score captions with {@code AttributeAccuracy.evaluate(scenes(items),
 * captions)}.
 *
 * <p>{@code labels.json}: {@code {"images": [{"file", "width", "height", "background",
 * "background_rgb", "objects": [{"shape", "color", "rgb", "size", "center_x", "center_y",
 * "radius", "bbox", "position"?}], "relation": {"subject", "relation", "object"} | null,
 * "caption"?}]}}. Positions and relations given in the file must agree with the geometry ({@link
 * SceneObject#position()}, {@link SceneObject#relation}), which is what scoring uses.
 */
public final class ExternalShapes {
  /** The bundled set, relative to the core module (glimpse-core/). */
  public static final Path BUNDLED = Path.of("src", "test", "resources", "external-shapes");

  /**
   * The larger bundled set of flat drawings (made by {@code make_flat_shapes.py} there with
   * ImageMagick: 320 PNGs, 160 with one object and 160 with two, flat fills on plain light, pastel,
   * gray and near-black backgrounds, white and black objects often next to near-white and near-black
   * ones, antialiased in half), relative to the core module.
   */
  public static final Path FLAT = Path.of("src", "test", "resources", "external-flat");

  /** The core module's folder in a checkout. */
  private static final Path MODULE = Path.of("glimpse-core");

  /** {@link #BUNDLED} as found by {@link #locate(Path)}. */
  public static Optional<Path> locate() {
    return locate(BUNDLED);
  }

  /**
   * A bundled set ({@link #BUNDLED}, {@link #FLAT}) as seen from the working directory (the core
   * module or the checkout's root) or, when Glimpse runs from elsewhere, from the checkout that holds
   * the running jar ({@code glimpse-core/target/glimpse.jar}); empty when none has it.
   */
  public static Optional<Path> locate(Path bundled) {
    if (holdsSet(bundled)) {
      return Optional.of(bundled);
    }
    if (holdsSet(MODULE.resolve(bundled))) {
      return Optional.of(MODULE.resolve(bundled));
    }
    try {
      CodeSource source = ExternalShapes.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        Path jar = Path.of(source.getLocation().toURI()).toAbsolutePath();
        for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
          if (holdsSet(dir.resolve(bundled))) {
            return Optional.of(dir.resolve(bundled));
          }
        }
      }
    } catch (URISyntaxException | SecurityException | FileSystemNotFoundException e) {
      // not a file location: fall through
    }
    return Optional.empty();
  }

  /**
   * Whether a folder holds a set (its labels.json): a folder of the same name left empty at the
   * checkout's root (git keeps no empty folders, but a moved tree leaves them) must not hide the
   * module's, or the quickstart would fail after training on "no labels.json".
   */
  private static boolean holdsSet(Path dir) {
    return Files.isRegularFile(dir.resolve("labels.json"));
  }

  private ExternalShapes() {}

  /**
   * One image and its ground truth; with two objects the subject of the labelled relation is the
   * scene's first object.
   */
  public record Item(Path image, Scene scene) {}

  /** Reads {@code dir/labels.json}; errors name the file and the entry. */
  public static List<Item> load(Path dir) {
    Path labels = dir.resolve("labels.json");
    if (!Files.isRegularFile(labels)) {
      throw new GlimpseException("no labels.json in " + dir);
    }
    JsonElement root = Json.parse(labels);
    if (!root.isJsonObject() || !root.getAsJsonObject().has("images")) {
      throw new GlimpseException("expected {\"images\": [...]} in " + labels);
    }
    List<Item> items = new ArrayList<>();
    for (JsonElement element : root.getAsJsonObject().getAsJsonArray("images")) {
      JsonObject entry = element.getAsJsonObject();
      String where = labels + " (" + (entry.has("file") ? entry.get("file").getAsString() : "entry " + items.size()) + ")";
      items.add(item(dir, entry, where));
    }
    return items;
  }

  /** The ground-truth scenes of the items, in order. */
  public static List<Scene> scenes(List<Item> items) {
    return items.stream().map(Item::scene).toList();
  }

  private static Item item(Path dir, JsonObject entry, String where) {
    try {
      Path image = dir.resolve(entry.get("file").getAsString());
      if (!Files.isRegularFile(image)) {
        throw new GlimpseException("image missing: " + image + " (listed in " + where + ")");
      }
      List<SceneObject> objects = new ArrayList<>();
      for (JsonElement o : entry.getAsJsonArray("objects")) {
        JsonObject object = o.getAsJsonObject();
        SceneObject parsed = SceneJson.objectFromJson(object, where);
        if (object.has("position") && !object.get("position").isJsonNull()) {
          Position label = Position.fromWord(object.get("position").getAsString());
          if (label != parsed.position()) {
            throw new GlimpseException("position '" + object.get("position").getAsString()
                + "' disagrees with the centre (" + parsed.position().word() + ") in " + where);
          }
        }
        objects.add(parsed);
      }
      JsonElement relation = entry.get("relation");
      if (relation != null && !relation.isJsonNull()) {
        JsonObject r = relation.getAsJsonObject();
        SceneObject subject = objects.get(r.get("subject").getAsInt());
        SceneObject object = objects.get(r.get("object").getAsInt());
        Relation label = Relation.fromPhrase(r.get("relation").getAsString());
        if (label != SceneObject.relation(subject, object)) {
          throw new GlimpseException("relation '" + r.get("relation").getAsString()
              + "' disagrees with the centres in " + where);
        }
        objects = List.of(subject, object);
      }
      String name = entry.has("background") ? entry.get("background").getAsString() : "plain";
      int rgb = SceneJson.rgb(entry.get("background_rgb").getAsString());
      Scene scene = Scene.plain(entry.get("width").getAsInt(), entry.get("height").getAsInt(),
          Background.plain(name, rgb), objects);
      return new Item(image, scene);
    } catch (GlimpseException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new GlimpseException("invalid entry in " + where + ": "
          + (e.getMessage() == null ? "a required field is missing" : e.getMessage()), e);
    }
  }
}
