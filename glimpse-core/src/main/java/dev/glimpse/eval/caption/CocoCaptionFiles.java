package dev.glimpse.eval.caption;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.eval.JsonInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the COCO caption formats and checks them before scoring.
 *
 * <p>Annotations: {@code {"images": [{"id"}], "annotations": [{"image_id", "caption"}]}}; results:
 * {@code [{"image_id", "caption"}]}. Ids are integers or strings. Images are scored in the order of
 * {@code images}, references in file order, as pycocoevalcap does.
 *
 * <p>Errors (the toolkit would crash, or silently mis-score): a file that is not UTF-8 or not JSON;
 * a missing or mistyped field; a repeated image id in {@code images}; an image without reference
 * captions; a result for an image not in the annotations; two results for one image; no results;
 * annotation images without a result (unless {@code subset}, which scores only the images that have
 * results, as the toolkit's example does with {@code params['image_id']}). Warnings: captions for
 * image ids missing from {@code images} (ignored, as the toolkit ignores them), empty reference or
 * candidate captions (scored as empty strings, as the toolkit scores them), and with {@code subset}
 * the number of images left out.
 */
public final class CocoCaptionFiles {

  /** Validated inputs, with warnings for the user. */
  public record Corpus(
      Map<String, List<String>> refs, Map<String, String> candidates, List<String> warnings) {}

  private CocoCaptionFiles() {}

  public static Corpus load(Path annotationsFile, Path resultsFile, boolean subset) {
    List<String> warnings = new ArrayList<>();
    Map<String, List<String>> refs = readAnnotations(annotationsFile, warnings);
    Map<String, String> candidates = readResults(resultsFile, refs, annotationsFile);
    Set<String> missing = new LinkedHashSet<>(refs.keySet());
    missing.removeAll(candidates.keySet());
    if (!missing.isEmpty()) {
      if (!subset) {
        throw JsonInput.of(resultsFile)
            .error(
                "no result for "
                    + missing.size()
                    + " of the "
                    + refs.size()
                    + " images in "
                    + annotationsFile
                    + " (ids "
                    + JsonInput.firstFew(missing)
                    + "); pass --subset to score only the images that have results");
      }
      warnings.add(
          "--subset: scoring the "
              + candidates.size()
              + " images that have results; "
              + missing.size()
              + " annotated images have none (ids "
              + JsonInput.firstFew(missing)
              + ")");
      refs.keySet().removeAll(missing);
    }
    List<String> emptyCandidates = new ArrayList<>();
    candidates.forEach(
        (id, c) -> {
          if (c.isBlank()) {
            emptyCandidates.add(id);
          }
        });
    if (!emptyCandidates.isEmpty()) {
      warnings.add(
          resultsFile
              + ": "
              + emptyCandidates.size()
              + " empty candidate captions (images "
              + JsonInput.firstFew(emptyCandidates)
              + "); scored as empty strings, as the toolkit does");
    }
    return new Corpus(refs, candidates, warnings);
  }

  private static Map<String, List<String>> readAnnotations(Path file, List<String> warnings) {
    JsonInput in = JsonInput.of(file);
    JsonObject root = in.object(in.parse(), "top level");
    Map<String, List<String>> refs = new LinkedHashMap<>();
    JsonArray images = in.array(in.field(root, "images", "top level"), "images");
    for (int i = 0; i < images.size(); i++) {
      String where = "images[" + i + "]";
      String id = in.id(in.object(images.get(i), where), "id", where);
      if (refs.put(id, new ArrayList<>()) != null) {
        throw in.error(where + ".id", "image id " + id + " appears more than once in images");
      }
    }
    if (refs.isEmpty()) {
      throw in.error("images", "no images");
    }
    JsonArray annotations = in.array(in.field(root, "annotations", "top level"), "annotations");
    Set<String> unknown = new LinkedHashSet<>();
    int ignored = 0;
    int empty = 0;
    for (int i = 0; i < annotations.size(); i++) {
      String where = "annotations[" + i + "]";
      JsonObject a = in.object(annotations.get(i), where);
      String id = in.id(a, "image_id", where);
      String caption = in.string(a, "caption", where);
      List<String> list = refs.get(id);
      if (list == null) {
        unknown.add(id);
        ignored++;
      } else {
        list.add(caption);
        empty += caption.isBlank() ? 1 : 0;
      }
    }
    if (!unknown.isEmpty()) {
      warnings.add(
          file
              + ": "
              + ignored
              + " captions refer to image ids not in \"images\" (ids "
              + JsonInput.firstFew(unknown)
              + "); ignored, as the toolkit ignores them");
    }
    if (empty > 0) {
      warnings.add(
          file
              + ": "
              + empty
              + " empty reference captions; scored as empty strings, as the toolkit does");
    }
    List<String> withoutRefs = new ArrayList<>();
    refs.forEach(
        (id, list) -> {
          if (list.isEmpty()) {
            withoutRefs.add(id);
          }
        });
    if (!withoutRefs.isEmpty()) {
      throw in.error(
          withoutRefs.size()
              + " images have no reference caption (ids "
              + JsonInput.firstFew(withoutRefs)
              + ")");
    }
    return refs;
  }

  private static Map<String, String> readResults(
      Path file, Map<String, List<String>> refs, Path annotationsFile) {
    JsonInput in = JsonInput.of(file);
    JsonArray results = in.array(in.parse(), "top level");
    if (results.isEmpty()) {
      throw in.error("no results (an empty array)");
    }
    Map<String, String> candidates = new LinkedHashMap<>();
    Set<String> unknown = new LinkedHashSet<>();
    Set<String> duplicates = new LinkedHashSet<>();
    for (int i = 0; i < results.size(); i++) {
      String where = "[" + i + "]";
      JsonElement e = results.get(i);
      JsonObject r = in.object(e, where);
      String id = in.id(r, "image_id", where);
      String caption = in.string(r, "caption", where);
      if (!refs.containsKey(id)) {
        unknown.add(id);
      } else if (candidates.put(id, caption) != null) {
        duplicates.add(id);
      }
    }
    if (!unknown.isEmpty()) {
      throw in.error(
          unknown.size()
              + " result image ids are not in "
              + annotationsFile
              + " (ids "
              + JsonInput.firstFew(unknown)
              + ")");
    }
    if (!duplicates.isEmpty()) {
      throw in.error(
          duplicates.size()
              + " images have more than one result (ids "
              + JsonInput.firstFew(duplicates)
              + "); give exactly one caption per image");
    }
    return candidates;
  }
}
