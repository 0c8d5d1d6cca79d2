package dev.glimpse.data.loaders;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Streams the large annotation files of COCO, VQAv2 and MSR-VTT (VQAv2's train annotations are
 * about 330 MB) one array element at a time instead of building the whole tree. Every problem
 * becomes a one-line {@link GlimpseException} naming the file.
 */
final class AnnotationJson {
  private static final TypeAdapter<JsonObject> OBJECT = Json.COMPACT.getAdapter(JsonObject.class);
  private static final TypeAdapter<JsonElement> ELEMENT = Json.COMPACT.getAdapter(JsonElement.class);

  private AnnotationJson() {}

  /**
   * What {@link #read} did not stream.
   *
   * @param members the members not named as arrays (small in these formats: "info", "data_subtype")
   * @param arraysSeen the names of the streamed arrays that were present, even if empty
   */
  record Parsed(Map<String, JsonElement> members, Set<String> arraysSeen) {}

  /**
   * Reads a file holding one JSON object. Each member named in {@code arrays} must be an array of
   * objects, handed one by one to its consumer; the other members are returned.
   */
  static Parsed read(Path file, Map<String, Consumer<JsonObject>> arrays) {
    if (!Files.isRegularFile(file)) {
      throw new GlimpseException(
          Files.isDirectory(file) ? "expected a JSON file, got a directory: " + file : "file not found: " + file);
    }
    Map<String, JsonElement> others = new LinkedHashMap<>();
    Set<String> seen = new LinkedHashSet<>();
    try (Reader text = strictUtf8(file);
        JsonReader reader = new JsonReader(text)) {
      if (reader.peek() != JsonToken.BEGIN_OBJECT) {
        throw new GlimpseException(file + ": expected a JSON object with " + String.join(", ", arrays.keySet())
            + ", found " + describe(reader.peek()));
      }
      reader.beginObject();
      while (reader.hasNext()) {
        String name = reader.nextName();
        Consumer<JsonObject> consumer = arrays.get(name);
        if (consumer == null) {
          others.put(name, ELEMENT.read(reader));
          continue;
        }
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
          throw new GlimpseException(file + ": \"" + name + "\" should be an array, found " + describe(reader.peek()));
        }
        seen.add(name);
        reader.beginArray();
        while (reader.hasNext()) {
          if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw new GlimpseException(file + ": \"" + name + "\" should hold objects, found " + describe(reader.peek())
                + " at " + reader.getPath());
          }
          consumer.accept(OBJECT.read(reader));
        }
        reader.endArray();
      }
      reader.endObject();
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new GlimpseException("invalid JSON in " + file + ": unexpected content after the top-level object");
      }
    } catch (CharacterCodingException e) {
      throw new GlimpseException("file is not valid UTF-8: " + file);
    } catch (NoSuchFileException e) {
      throw new GlimpseException("file not found: " + file);
    } catch (JsonParseException | IOException | IllegalStateException e) {
      throw new GlimpseException("invalid JSON in " + file + ": " + problem(e));
    }
    return new Parsed(others, seen);
  }

  /** A small JSON file as a tree, parsed strictly; errors are one line naming the file. */
  static JsonElement parseSmall(Path file) {
    String text = Json.readUtf8(file);
    try (JsonReader reader = new JsonReader(new java.io.StringReader(text))) {
      JsonElement element = ELEMENT.read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new GlimpseException("invalid JSON in " + file + ": unexpected content after the first value");
      }
      return element;
    } catch (JsonParseException | IOException | IllegalStateException e) {
      throw new GlimpseException("invalid JSON in " + file + ": " + problem(e));
    }
  }

  private static Reader strictUtf8(Path file) throws IOException {
    return new InputStreamReader(
        Files.newInputStream(file),
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case BEGIN_ARRAY -> "an array";
      case BEGIN_OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case END_DOCUMENT -> "the end of the file";
      default -> token.toString();
    };
  }

  /**
   * Gson's parse error as one line: its first line only (gson appends a troubleshooting link on a
   * second line), with its advice to switch to lenient parsing replaced by what it means.
   */
  static String problem(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message
        .lines()
        .findFirst()
        .orElse(message)
        .replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
  }

  // Field access with messages that point at the entry: "captions.json: images[3] has no "id"".

  static long requireLong(JsonObject entry, String field, Path file, String where) {
    JsonElement value = entry.get(field);
    if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      double d = value.getAsDouble();
      if (d == Math.rint(d)) {
        return value.getAsLong();
      }
    }
    if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
      try {
        return Long.parseLong(value.getAsString().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new GlimpseException(file + ": " + where + " needs an integer \"" + field + "\", found " + value);
  }

  static String requireString(JsonObject entry, String field, Path file, String where) {
    String value = optString(entry, field);
    if (value == null) {
      throw new GlimpseException(file + ": " + where + " needs a text \"" + field + "\", found " + entry.get(field));
    }
    return value;
  }

  /** A string or number member as text; null when absent or of another type. */
  static String optString(JsonObject entry, String field) {
    JsonElement value = entry.get(field);
    if (value == null || !value.isJsonPrimitive()) {
      return null;
    }
    return value.getAsString();
  }
}
