package dev.glimpse.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic caption corpus for timing the caption metrics: each image is a small random scene
 * (two objects with colours, sizes, an action, a place), described by {@code refsPerImage}
 * references in varied phrasing, case and punctuation, plus one candidate describing the same scene
 * with a few deliberate errors. Same seed, same corpus, on any machine.
 */
public final class SyntheticCaptionCorpus {
  private static final String[] OBJECTS = {
    "dog",
    "cat",
    "man",
    "woman",
    "child",
    "horse",
    "bus",
    "car",
    "bicycle",
    "train",
    "bird",
    "cow",
    "elephant",
    "giraffe",
    "pizza",
    "table",
    "boat",
    "kite",
    "skateboard",
    "umbrella",
    "clock",
    "bench"
  };
  private static final String[] COLORS = {
    "red", "blue", "green", "yellow", "white", "black", "brown", "gray", "orange", "purple", "pink"
  };
  private static final String[] SIZES = {"small", "large", "tall", "little", "big", "old", "young"};
  private static final String[] ACTIONS = {
    "standing next to",
    "sitting on",
    "walking past",
    "looking at",
    "running toward",
    "parked near",
    "lying beside",
    "playing with",
    "waiting behind",
    "jumping over"
  };
  private static final String[] PLACES = {
    "in a park",
    "on a busy street",
    "near the beach",
    "in a kitchen",
    "at the station",
    "on a grassy field",
    "in front of a building",
    "by the river",
    "under a tree",
    "in the snow"
  };
  private static final String[] COUNTS = {"two", "three", "several", "a few", "2", "3"};

  /** Raw references and candidate per image id ("1".."n"), in image order. */
  public record Corpus(Map<String, List<String>> refs, Map<String, String> candidates) {}

  private SyntheticCaptionCorpus() {}

  public static Corpus generate(int images, int refsPerImage, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, List<String>> refs = new LinkedHashMap<>();
    Map<String, String> candidates = new LinkedHashMap<>();
    for (int i = 1; i <= images; i++) {
      Scene scene = Scene.random(random);
      List<String> list = new ArrayList<>(refsPerImage);
      for (int r = 0; r < refsPerImage; r++) {
        list.add(describe(scene, random));
      }
      refs.put(Integer.toString(i), list);
      candidates.put(Integer.toString(i), describe(scene.withErrors(random), random));
    }
    return new Corpus(refs, candidates);
  }

  /** Writes {@code annotations.json} and {@code results.json} in the COCO caption formats. */
  public static void write(Corpus corpus, Path dir) {
    JsonArray images = new JsonArray();
    JsonArray annotations = new JsonArray();
    JsonArray results = new JsonArray();
    int annotationId = 0;
    for (Map.Entry<String, List<String>> e : corpus.refs().entrySet()) {
      long id = Long.parseLong(e.getKey());
      JsonObject image = new JsonObject();
      image.addProperty("id", id);
      images.add(image);
      for (String caption : e.getValue()) {
        JsonObject a = new JsonObject();
        a.addProperty("image_id", id);
        a.addProperty("id", ++annotationId);
        a.addProperty("caption", caption);
        annotations.add(a);
      }
      JsonObject result = new JsonObject();
      result.addProperty("image_id", id);
      result.addProperty("caption", corpus.candidates().get(e.getKey()));
      results.add(result);
    }
    JsonObject ann = new JsonObject();
    ann.add("images", images);
    ann.add("annotations", annotations);
    Json.write(dir.resolve("annotations.json"), ann);
    Json.write(dir.resolve("results.json"), results);
  }

  private record Scene(
      String size,
      String color,
      String object,
      String action,
      String color2,
      String object2,
      String place,
      int count) {
    static Scene random(SplittableRandom r) {
      return new Scene(
          pick(r, SIZES),
          pick(r, COLORS),
          pick(r, OBJECTS),
          pick(r, ACTIONS),
          pick(r, COLORS),
          pick(r, OBJECTS),
          pick(r, PLACES),
          r.nextInt(COUNTS.length));
    }

    /** The candidate's view: one or two attributes wrong, as a captioning model gets them. */
    Scene withErrors(SplittableRandom r) {
      Scene s = this;
      for (int e = 1 + r.nextInt(2); e > 0; e--) {
        switch (r.nextInt(4)) {
          case 0 -> s =
              new Scene(
                  s.size,
                  pick(r, COLORS),
                  s.object,
                  s.action,
                  s.color2,
                  s.object2,
                  s.place,
                  s.count);
          case 1 -> s =
              new Scene(
                  s.size,
                  s.color,
                  s.object,
                  pick(r, ACTIONS),
                  s.color2,
                  s.object2,
                  s.place,
                  s.count);
          case 2 -> s =
              new Scene(
                  s.size,
                  s.color,
                  s.object,
                  s.action,
                  s.color2,
                  pick(r, OBJECTS),
                  s.place,
                  s.count);
          default -> s =
              new Scene(
                  s.size,
                  s.color,
                  s.object,
                  s.action,
                  s.color2,
                  s.object2,
                  pick(r, PLACES),
                  s.count);
        }
      }
      return s;
    }
  }

  private static String describe(Scene s, SplittableRandom r) {
    String text =
        switch (r.nextInt(6)) {
          case 0 -> "a "
              + s.size()
              + " "
              + s.color()
              + " "
              + s.object()
              + " "
              + s.action()
              + " a "
              + s.color2()
              + " "
              + s.object2()
              + " "
              + s.place()
              + ".";
          case 1 -> "The "
              + s.object()
              + " is "
              + s.action()
              + " the "
              + s.object2()
              + ", "
              + s.place()
              + ".";
          case 2 -> "There is a "
              + s.color()
              + " "
              + s.object()
              + " "
              + s.place()
              + " "
              + s.action()
              + " a "
              + s.object2()
              + ".";
          case 3 -> "A photo of a "
              + s.size()
              + " "
              + s.object()
              + " "
              + s.place()
              + "; it's "
              + s.action()
              + " a "
              + s.color2()
              + " "
              + s.object2();
          case 4 -> COUNTS[s.count()]
              + " "
              + s.object()
              + "s "
              + s.action()
              + " some "
              + s.object2()
              + "s "
              + s.place()
              + "!";
          default -> "An image showing a "
              + s.color()
              + " "
              + s.object()
              + " ("
              + s.size()
              + ") "
              + s.action()
              + " a "
              + s.object2()
              + " "
              + s.place();
        };
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static String pick(SplittableRandom r, String[] options) {
    return options[r.nextInt(options.length)];
  }
}
