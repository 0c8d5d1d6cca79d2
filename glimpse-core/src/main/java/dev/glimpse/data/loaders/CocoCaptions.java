package dev.glimpse.data.loaders;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * COCO captions: an annotations file ({@code captions_train2017.json}: {@code {"images": [{"id",
 * "file_name", ...}], "annotations": [{"image_id", "caption"}]}}) and the folder of its images. One
 * example per image with all its captions (five in COCO), in the file's image order. Images
 * without captions are left out; a file without "annotations" (the test-split image lists) gives
 * every image with no captions. Images are read lazily in {@link #get}.
 */
public final class CocoCaptions implements Dataset {
  /** One image entry; captions in file order. */
  private record Entry(long imageId, String fileName, List<String> captions) {}

  private final String name;
  private final Path imageDir;
  private final List<Entry> entries;

  private CocoCaptions(String name, Path imageDir, List<Entry> entries) {
    this.name = name;
    this.imageDir = imageDir;
    this.entries = entries;
  }

  /** Reads the annotations now (errors are {@link GlimpseException}s naming the file), images later. */
  public static CocoCaptions open(Path annotations, Path imageDir) {
    Loaders.requireDirectory(imageDir, "COCO image folder");
    Map<Long, String> fileNames = new LinkedHashMap<>();
    Map<Long, List<String>> captions = new HashMap<>();
    int[] annotationIndex = {0};
    AnnotationJson.Parsed parsed =
        AnnotationJson.read(
            annotations,
            Map.of(
                "images",
                (JsonObject image) -> {
                  String where = "images[" + fileNames.size() + "]";
                  long id = AnnotationJson.requireLong(image, "id", annotations, where);
                  String fileName = AnnotationJson.requireString(image, "file_name", annotations, where);
                  if (fileNames.put(id, fileName) != null) {
                    throw new GlimpseException(annotations + ": image id " + id + " is listed twice");
                  }
                },
                "annotations",
                (JsonObject annotation) -> {
                  String where = "annotations[" + annotationIndex[0]++ + "]";
                  long imageId = AnnotationJson.requireLong(annotation, "image_id", annotations, where);
                  String caption = AnnotationJson.requireString(annotation, "caption", annotations, where);
                  captions.computeIfAbsent(imageId, id -> new ArrayList<>()).add(caption.strip());
                }));
    boolean hasAnnotations = parsed.arraysSeen().contains("annotations");
    if (fileNames.isEmpty()) {
      throw new GlimpseException(annotations + ": no \"images\" listed (is this a COCO captions file?)");
    }
    for (Long imageId : captions.keySet()) {
      if (!fileNames.containsKey(imageId)) {
        throw new GlimpseException(annotations + ": a caption refers to image_id " + imageId
            + ", which is not in \"images\"");
      }
    }
    List<Entry> entries = new ArrayList<>();
    fileNames.forEach(
        (id, fileName) -> {
          List<String> imageCaptions = captions.getOrDefault(id, List.of());
          if (!hasAnnotations || !imageCaptions.isEmpty()) {
            entries.add(new Entry(id, fileName, List.copyOf(imageCaptions)));
          }
        });
    if (entries.isEmpty()) {
      throw new GlimpseException(annotations + ": no image has a caption");
    }
    String dataset = Loaders.stem(annotations);
    return new CocoCaptions("coco/" + dataset, imageDir, List.copyOf(entries));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public Example get(int index) {
    Entry entry = entries.get(index);
    Path file = imageDir.resolve(entry.fileName());
    return Example.caption(
        String.valueOf(entry.imageId()),
        Loaders.readImage(file),
        entry.captions(),
        Map.of("image_id", entry.imageId(), "file_name", entry.fileName()));
  }

  /** Number of captions over all images. */
  public int captionCount() {
    return entries.stream().mapToInt(e -> e.captions().size()).sum();
  }
}
