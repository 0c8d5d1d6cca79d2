package dev.glimpse.data.loaders;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.data.synth.Box;
import dev.glimpse.data.synth.SyntheticRegions;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Region descriptions in Visual Genome's layout: {@code region_descriptions.json} ({@code [{"id",
 * "regions": [{"region_id", "image_id", "phrase", "x", "y", "width", "height"}]}]}, read as a stream:
 * the real file is large) with its images in a folder, and optionally {@code image_data.json}
 * ({@code [{"image_id", "width", "height", "url", "file_name"?}]}) for file names and sizes. One
 * example per image: its phrases as targets and its regions under {@link SyntheticRegions#REGIONS}
 * (what region models train and evaluate on). An image's file is its {@code file_name}, else the
 * last part of its {@code url}, else {@code <image_id>.jpg} (or another image extension found in the folder).
 *
 * <p>Boxes are checked against the image size: one that extends past an edge is clipped to the image
 * (Visual Genome has some a pixel or two over); one with no area, or wholly outside the image, is an
 * error naming the file, the image and the region. Sizes come from {@code image_data.json} when
 * given (checked when the files are opened), else from the image when it is read.
 */
public final class VisualGenomeRegions implements Dataset {
  private record Region(long id, String phrase, double x, double y, double width, double height) {}

  private record Entry(long imageId, String fileName, int width, int height, List<Region> regions) {}

  private final String name;
  private final Path descriptions;
  private final Path imageDir;
  private final List<Entry> entries;

  private VisualGenomeRegions(String name, Path descriptions, Path imageDir, List<Entry> entries) {
    this.name = name;
    this.descriptions = descriptions;
    this.imageDir = imageDir;
    this.entries = entries;
  }

  /**
   * Reads the descriptions (and image data) now; errors are {@link GlimpseException}s naming the file
   * and entry.
   *
   * @param imageData {@code image_data.json}, or null
   */
  public static VisualGenomeRegions open(Path descriptions, Path imageDir, Path imageData) {
    Loaders.requireDirectory(imageDir, "Visual Genome image folder");
    Map<Long, JsonObject> info = imageData == null ? Map.of() : imageInfo(imageData);
    List<Entry> entries = new ArrayList<>();
    readArray(descriptions, (entry, index) -> {
      String where = "entry " + index;
      long imageId = entry.has("id") ? AnnotationJson.requireLong(entry, "id", descriptions, where)
          : AnnotationJson.requireLong(entry, "image_id", descriptions, where);
      JsonElement list = entry.get("regions");
      if (list == null || !list.isJsonArray()) {
        throw new GlimpseException(descriptions + ": " + where + " (image " + imageId + ") needs a \"regions\" array");
      }
      List<Region> regions = new ArrayList<>();
      JsonArray array = list.getAsJsonArray();
      for (int k = 0; k < array.size(); k++) {
        JsonObject r = array.get(k).getAsJsonObject();
        String at = where + " (image " + imageId + ") region " + k;
        regions.add(new Region(r.has("region_id") ? AnnotationJson.requireLong(r, "region_id", descriptions, at) : k,
            AnnotationJson.requireString(r, "phrase", descriptions, at).strip(), number(r, "x", descriptions, at),
            number(r, "y", descriptions, at), number(r, "width", descriptions, at),
            number(r, "height", descriptions, at)));
      }
      if (regions.isEmpty()) {
        return;
      }
      JsonObject image = info.get(imageId);
      if (imageData != null && image == null) {
        throw new GlimpseException(descriptions + ": image " + imageId + " is not in " + imageData);
      }
      String fileName = fileName(imageId, image);
      int width = image == null ? 0 : (int) AnnotationJson.requireLong(image, "width", imageData, "image " + imageId);
      int height = image == null ? 0 : (int) AnnotationJson.requireLong(image, "height", imageData, "image " + imageId);
      Entry e = new Entry(imageId, fileName, width, height, List.copyOf(regions));
      if (width > 0 && height > 0) {
        boxes(e, width, height, descriptions); // checked now, not sample by sample
      }
      entries.add(e);
    });
    if (entries.isEmpty()) {
      throw new GlimpseException(descriptions + ": no image has a region");
    }
    return new VisualGenomeRegions("vg/" + Loaders.stem(descriptions), descriptions, imageDir, List.copyOf(entries));
  }

  private static String fileName(long imageId, JsonObject image) {
    if (image != null) {
      String file = AnnotationJson.optString(image, "file_name");
      if (file != null && !file.isBlank()) {
        return file;
      }
      String url = AnnotationJson.optString(image, "url");
      if (url != null && url.contains("/") && !url.endsWith("/")) {
        return url.substring(url.lastIndexOf('/') + 1);
      }
    }
    return imageId + ".jpg";
  }

  private static double number(JsonObject o, String field, Path file, String where) {
    JsonElement v = o.get(field);
    if (v == null || !v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || !Double.isFinite(v.getAsDouble())) {
      throw new GlimpseException(file + ": " + where + " needs a number \"" + field + "\", found " + v);
    }
    return v.getAsDouble();
  }

  private static Map<Long, JsonObject> imageInfo(Path imageData) {
    Map<Long, JsonObject> out = new HashMap<>();
    readArray(imageData, (entry, index) -> {
      long id = entry.has("image_id") ? AnnotationJson.requireLong(entry, "image_id", imageData, "entry " + index)
          : AnnotationJson.requireLong(entry, "id", imageData, "entry " + index);
      out.put(id, entry);
    });
    return out;
  }

  private interface EntryReader {
    void read(JsonObject entry, int index);
  }

  // A top-level JSON array of objects, one object at a time.
  private static void readArray(Path file, EntryReader each) {
    if (!Files.isRegularFile(file)) {
      throw new GlimpseException("Visual Genome file not found: " + file);
    }
    try (JsonReader reader = new JsonReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      if (reader.peek() != JsonToken.BEGIN_ARRAY) {
        throw new GlimpseException(file + ": expected a JSON array of entries (Visual Genome layout)");
      }
      reader.beginArray();
      int index = 0;
      while (reader.hasNext()) {
        JsonElement element = JsonParser.parseReader(reader);
        if (!element.isJsonObject()) {
          throw new GlimpseException(file + ": entry " + index + " is not an object");
        }
        each.read(element.getAsJsonObject(), index++);
      }
      reader.endArray();
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new GlimpseException("invalid JSON in " + file + ": " + AnnotationJson.problem(e));
    }
  }

  // The regions of an image of this size: boxes clipped to it; a box without area inside it is an error.
  private static List<SyntheticRegions.Region> boxes(Entry e, int width, int height, Path file) {
    List<SyntheticRegions.Region> out = new ArrayList<>();
    for (Region r : e.regions()) {
      String where = file + ": image " + e.imageId() + " region " + r.id() + " (\"" + r.phrase() + "\")";
      if (!(r.width() > 0) || !(r.height() > 0)) {
        throw new GlimpseException(where + " has a box of size " + r.width() + "x" + r.height());
      }
      int x1 = (int) Math.max(0, Math.floor(r.x()));
      int y1 = (int) Math.max(0, Math.floor(r.y()));
      int x2 = (int) Math.min(width, Math.ceil(r.x() + r.width()));
      int y2 = (int) Math.min(height, Math.ceil(r.y() + r.height()));
      if (x2 <= x1 || y2 <= y1) {
        throw new GlimpseException(where + ": box [x " + r.x() + ", y " + r.y() + ", w " + r.width() + ", h "
            + r.height() + "] is outside the " + width + "x" + height + " image");
      }
      out.add(new SyntheticRegions.Region(new Box(x1, y1, x2 - x1, y2 - y1), r.phrase()));
    }
    return out;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return entries.size();
  }

  // the entry's file; without image_data, <id>.jpg or the first <id>.<image extension> that exists
  private Path file(Entry e) {
    Path file = imageDir.resolve(e.fileName());
    if (e.width() == 0 && !Files.exists(file)) {
      for (String ext : new String[] {"png", "jpeg", "bmp", "gif"}) {
        Path other = imageDir.resolve(e.imageId() + "." + ext);
        if (Files.exists(other)) {
          return other;
        }
      }
    }
    return file;
  }

  @Override
  public Example get(int index) {
    Entry e = entries.get(index);
    BufferedImage image = Loaders.readImage(file(e));
    if (e.width() > 0 && (image.getWidth() != e.width() || image.getHeight() != e.height())) {
      throw new SampleException(imageDir.resolve(e.fileName()) + " is " + image.getWidth() + "x" + image.getHeight()
          + " but image_data says " + e.width() + "x" + e.height());
    }
    List<SyntheticRegions.Region> regions = boxes(e, image.getWidth(), image.getHeight(), descriptions);
    return Example.caption(String.valueOf(e.imageId()), image, regions.stream().map(SyntheticRegions.Region::phrase)
        .toList(), Map.of("image_id", e.imageId(), "file_name", e.fileName())).with(SyntheticRegions.REGIONS, regions);
  }

  /** Regions over all images. */
  public int regionCount() {
    return entries.stream().mapToInt(e -> e.regions().size()).sum();
  }
}
