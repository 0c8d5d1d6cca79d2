package dev.glimpse.data.loaders;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.glimpse.util.Json;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per line, each naming its image(s) and text:
 *
 * <pre>
 * {"image": "images/cat.jpg", "caption": "a cat on a sofa"}
 * {"image": "images/cat.jpg", "captions": ["a cat", "a sleeping cat"], "id": "cat-1"}
 * {"image": "images/kitchen.png", "question": "how many cups?", "answers": ["2", "two"]}
 * {"images": ["clip7/000.jpg", "clip7/001.jpg"], "caption": "a man opens a door"}
 * </pre>
 *
 * <p>{@code image} (one path) or {@code images} (frames in order) are relative to the JSONL file's
 * folder (absolute paths work too). Text keys are those of {@link TextFields}: {@code caption},
 * {@code captions}, {@code text}; or {@code question} with {@code answer} / {@code answers}
 * (strings or VQA answer objects); optional {@code id} (default: the line number); other scalar
 * members land in the metadata. Blank lines are ignored.
 *
 * <p>A bad line (invalid JSON, missing image or text, wrong types) is reported with its line number
 * and left out, so one damaged line does not stop training on a large scraped file; {@link
 * #problems()} lists them. With {@code strict} the first bad line is an error instead. A file with
 * no good line, or that is one JSON array rather than lines, is always an error.
 */
public final class JsonlDataset implements Dataset {
  /** Bad-line messages kept for {@link #problems()}; the count is always exact. */
  private static final int MAX_PROBLEMS_KEPT = 100;

  private static final TypeAdapter<JsonElement> ELEMENT = Json.COMPACT.getAdapter(JsonElement.class);

  private record Entry(String id, List<String> images, TextFields text) {}

  private final String name;
  private final Path folder;
  private final List<Entry> entries;
  private final List<String> problems;
  private final int badLines;

  private JsonlDataset(String name, Path folder, List<Entry> entries, List<String> problems, int badLines) {
    this.name = name;
    this.folder = folder;
    this.entries = entries;
    this.problems = problems;
    this.badLines = badLines;
  }

  /** Lenient: bad lines are logged and left out. */
  public static JsonlDataset open(Path file) {
    return open(file, false, new SkipLog(file.getFileName().toString()));
  }

  /**
   * @param strict whether a bad line is an error rather than a warning
   * @param log where bad lines are reported (first few in full, then counts)
   */
  public static JsonlDataset open(Path file, boolean strict, SkipLog log) {
    if (!Files.isRegularFile(file)) {
      throw new GlimpseException(
          Files.isDirectory(file) ? "expected a JSONL file, got a directory: " + file : "file not found: " + file);
    }
    List<Entry> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int badLines = 0;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                Files.newInputStream(file),
                StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
      String line;
      int number = 0;
      boolean first = true;
      while ((line = reader.readLine()) != null) {
        number++;
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (first && trimmed.startsWith("[")) {
          throw new GlimpseException(file + " holds a JSON array; JSONL needs one JSON object per line");
        }
        first = false;
        try {
          entries.add(parseLine(trimmed, number));
        } catch (IllegalArgumentException e) {
          String problem = file + ":" + number + ": " + e.getMessage();
          if (strict) {
            throw new GlimpseException(problem);
          }
          badLines++;
          if (problems.size() < MAX_PROBLEMS_KEPT) {
            problems.add(problem);
          }
          log.skip(problem);
        }
      }
    } catch (CharacterCodingException e) {
      throw new GlimpseException("file is not valid UTF-8: " + file);
    } catch (NoSuchFileException e) {
      throw new GlimpseException("file not found: " + file);
    } catch (IOException e) {
      throw new GlimpseException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (entries.isEmpty()) {
      throw new GlimpseException(
          problems.isEmpty() ? file + " has no records" : "no usable line in " + file + "; first problem: "
              + problems.get(0));
    }
    Path folder = file.toAbsolutePath().getParent();
    return new JsonlDataset(
        "jsonl/" + Loaders.stem(file), folder, List.copyOf(entries), Collections.unmodifiableList(problems), badLines);
  }

  /** One line to an entry; any problem is an IllegalArgumentException with the reason. */
  private static Entry parseLine(String line, int number) {
    JsonElement element;
    try {
      // Strict parsing (JsonParser would accept unquoted names and trailing text).
      JsonReader reader = new JsonReader(new StringReader(line));
      element = ELEMENT.read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("invalid JSON: unexpected text after the first value");
      }
    } catch (JsonParseException | IOException e) {
      throw new IllegalArgumentException("invalid JSON: " + AnnotationJson.problem(e));
    }
    if (!element.isJsonObject()) {
      throw new IllegalArgumentException("expected a JSON object, found " + abbreviate(element.toString()));
    }
    JsonObject record = element.getAsJsonObject();
    List<String> images = new ArrayList<>();
    JsonElement image = record.get("image");
    JsonElement frames = record.get("images");
    if (image != null && frames != null) {
      throw new IllegalArgumentException("has both \"image\" and \"images\"");
    }
    if (image != null) {
      images.add(path(image, "image"));
    } else if (frames != null && frames.isJsonArray() && !frames.getAsJsonArray().isEmpty()) {
      int i = 0;
      for (JsonElement frame : frames.getAsJsonArray()) {
        images.add(path(frame, "images[" + i++ + "]"));
      }
    } else {
      throw new IllegalArgumentException(
          frames == null ? "needs \"image\" (a path) or \"images\" (a list of paths)" : "\"images\" should be a non-empty list of paths");
    }
    TextFields text = TextFields.parse(record);
    String id = text.id() != null ? text.id() : String.valueOf(number);
    return new Entry(id, List.copyOf(images), text);
  }

  private static String path(JsonElement element, String key) {
    if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString() || element.getAsString().isBlank()) {
      throw new IllegalArgumentException("\"" + key + "\" should be a file path, found " + abbreviate(element.toString()));
    }
    return element.getAsString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return entries.size();
  }

  /** The bad lines left out, as "file:line: problem" (the first 100). */
  public List<String> problems() {
    return problems;
  }

  /** How many lines were left out. */
  public int badLines() {
    return badLines;
  }

  @Override
  public Example get(int index) {
    Entry entry = entries.get(index);
    List<BufferedImage> frames = new ArrayList<>(entry.images().size());
    for (String image : entry.images()) {
      frames.add(Loaders.readImage(folder.resolve(image)));
    }
    Map<String, Object> metadata = new LinkedHashMap<>(entry.text().metadata());
    metadata.put(entry.images().size() == 1 ? "image" : "images",
        entry.images().size() == 1 ? entry.images().get(0) : entry.images());
    return new Example(entry.id(), frames, entry.text().prompt(), entry.text().targets(), metadata);
  }
}
