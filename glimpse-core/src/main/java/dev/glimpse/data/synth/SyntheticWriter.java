package dev.glimpse.data.synth;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntConsumer;
import javax.imageio.ImageIO;

/**
 * Writes synthetic splits to disk in the formats other tools read. Captions (COCO captions format):
 *
 * <pre>
 * DIR/images/&lt;split&gt;/000000000042.png          image id 42 = scene index 42, zero-padded to 12 digits
 * DIR/annotations/captions_&lt;split&gt;.json      {"info", "licenses": [], "type": "captions",
 *                                              "images": [{"id", "file_name", "width", "height"}],
 *                                              "annotations": [{"id", "image_id", "caption"}]}
 * DIR/annotations/scenes_&lt;split&gt;.json        {"info", "scenes": [{"image_id", "file_name",
 *                                              "captions": [...], ...{@link SceneJson} fields}]}
 * DIR/annotations/long_descriptions_&lt;split&gt;.json   the same images, one {@link DenseDescriptions}
 *                                              paragraph each (long-text retrieval)
 * </pre>
 *
 * One annotation per reference caption (six per image, canonical first); annotation ids count from
 * 1. {@code file_name} is relative to {@code DIR/images/<split>/}.
 */
public final class SyntheticWriter {
  private SyntheticWriter() {}

  /** What was written. */
  public record Written(Path out, Split split, int images, int captions) {}

  /** The file name of image {@code index}: twelve digits and ".png", like COCO 2017. */
  public static String fileName(long index) {
    return String.format(Locale.ROOT, "%012d.png", index);
  }

  /** Writes scenes 0..count-1 of {@code split}; calls {@code progress} after each image. */
  public static Written writeCaptions(
      SceneGenerator generator, Split split, int count, Path out, IntConsumer progress) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be non-negative: " + count);
    }
    Path imageDir = out.resolve("images").resolve(split.id());
    Path annotationDir = out.resolve("annotations");
    createDirectories(imageDir);
    createDirectories(annotationDir);
    JsonArray images = new JsonArray();
    JsonArray annotations = new JsonArray();
    JsonArray scenes = new JsonArray();
    JsonArray longAnnotations = new JsonArray();
    int annotationId = 1;
    for (int i = 0; i < count; i++) {
      Scene scene = generator.scene(split, i);
      String fileName = fileName(i);
      writePng(imageDir.resolve(fileName), generator.render(scene));
      JsonObject image = new JsonObject();
      image.addProperty("id", i);
      image.addProperty("file_name", fileName);
      image.addProperty("width", scene.width());
      image.addProperty("height", scene.height());
      images.add(image);
      JsonArray captions = new JsonArray();
      for (String caption : generator.captions(scene)) {
        JsonObject annotation = new JsonObject();
        annotation.addProperty("id", annotationId++);
        annotation.addProperty("image_id", i);
        annotation.addProperty("caption", caption);
        annotations.add(annotation);
        captions.add(caption);
      }
      JsonObject dense = new JsonObject();
      dense.addProperty("id", i + 1);
      dense.addProperty("image_id", i);
      dense.addProperty("caption", DenseDescriptions.of(scene));
      longAnnotations.add(dense);
      JsonObject record = new JsonObject();
      record.addProperty("image_id", i);
      record.addProperty("file_name", fileName);
      record.add("captions", captions);
      SceneJson.toJson(scene).entrySet().forEach(e -> record.add(e.getKey(), e.getValue()));
      scenes.add(record);
      progress.accept(i + 1);
    }
    JsonObject coco = new JsonObject();
    coco.add("info", info(generator, split, "captions"));
    coco.add("licenses", new JsonArray());
    coco.addProperty("type", "captions");
    coco.add("images", images);
    coco.add("annotations", annotations);
    Json.write(annotationDir.resolve("captions_" + split.id() + ".json"), coco);
    // the same images with one long dense description each (long-text retrieval, L-DCI-like)
    JsonObject longCoco = coco.deepCopy();
    longCoco.add("info", info(generator, split, "long dense descriptions"));
    longCoco.add("annotations", longAnnotations);
    Json.write(annotationDir.resolve("long_descriptions_" + split.id() + ".json"), longCoco);
    JsonObject sceneFile = new JsonObject();
    sceneFile.add("info", info(generator, split, "scenes"));
    sceneFile.add("scenes", scenes);
    Json.write(annotationDir.resolve("scenes_" + split.id() + ".json"), sceneFile);
    return new Written(out, split, count, annotations.size());
  }

  /** The COCO "info" block: what made the file (no dates, so output is reproducible). */
  static JsonObject info(SceneGenerator generator, Split split, String task) {
    JsonObject info = new JsonObject();
    info.addProperty("description", "Glimpse synthetic scenes: " + task + ", split " + split.id()
        + ", seed " + generator.config().seed());
    info.addProperty("version", "1.0");
    info.addProperty("contributor", "glimpse data synth");
    info.addProperty("url", "");
    info.addProperty("split", split.id());
    info.addProperty("seed", generator.config().seed());
    return info;
  }

  static void writePng(Path file, BufferedImage image) {
    AtomicFiles.write(file, stream -> {
      if (!ImageIO.write(image, "png", stream)) {
        throw new IOException("no PNG writer available");
      }
    });
  }

  static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new GlimpseException("cannot create folder " + dir + ": " + e.getMessage(), e);
    }
    if (!Files.isWritable(dir)) {
      throw new GlimpseException("folder is not writable: " + dir);
    }
  }
}
