package dev.glimpse.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.ToNumberPolicy;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** JSON in and out, with errors that name the file. */
public final class Json {
  public static final Gson GSON =
      new GsonBuilder()
          .setPrettyPrinting()
          .disableHtmlEscaping()
          .serializeSpecialFloatingPointValues()
          .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
          .create();
  public static final Gson COMPACT =
      new GsonBuilder()
          .disableHtmlEscaping()
          .serializeSpecialFloatingPointValues()
          .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
          .create();

  private Json() {}

  /** Reads a whole file as strict UTF-8; a file that is not UTF-8 is an error naming the file. */
  public static String readUtf8(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (NoSuchFileException e) {
      throw new GlimpseException("file not found: " + file);
    } catch (CharacterCodingException e) {
      throw new GlimpseException("file is not valid UTF-8: " + file);
    } catch (IOException e) {
      throw new GlimpseException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static JsonElement parse(Path file) {
    String text = readUtf8(file);
    try {
      return JsonParser.parseString(text);
    } catch (JsonParseException e) {
      throw new GlimpseException("invalid JSON in " + file + ": " + rootMessage(e));
    }
  }

  public static <T> T read(Path file, Class<T> type) {
    String text = readUtf8(file);
    try {
      T value = GSON.fromJson(text, type);
      if (value == null) {
        throw new GlimpseException("empty JSON file: " + file);
      }
      return value;
    } catch (JsonParseException e) {
      throw new GlimpseException("invalid JSON in " + file + ": " + rootMessage(e));
    }
  }

  public static <T> T read(Reader reader, Class<T> type) {
    return GSON.fromJson(reader, type);
  }

  public static void write(Path file, Object value) {
    AtomicFiles.writeString(file, GSON.toJson(value) + "\n");
  }

  /** Writes a JSON tree keeping its explicit nulls (HF configs mean something by "key": null). */
  public static void writeTree(Path file, JsonElement tree) {
    AtomicFiles.writeString(file, WITH_NULLS.toJson(tree) + "\n");
  }

  private static final Gson WITH_NULLS = GSON.newBuilder().serializeNulls().create();

  /**
   * Fails with a message naming {@code path.key} when the JSON object has a key that is not a
   * component of the record type (recursively for nested records): a typo in a config file must
   * not be silently ignored.
   */
  public static void requireKnownKeys(JsonObject json, Class<?> recordType, String where, String path) {
    java.lang.reflect.RecordComponent[] components = recordType.getRecordComponents();
    if (components == null) {
      return;
    }
    for (java.util.Map.Entry<String, JsonElement> e : json.entrySet()) {
      java.lang.reflect.RecordComponent match = null;
      for (java.lang.reflect.RecordComponent c : components) {
        if (c.getName().equals(e.getKey())) {
          match = c;
        }
      }
      String name = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      if (match == null) {
        throw new GlimpseException(where + ": unknown field '" + name + "'");
      }
      if (match.getType().isRecord() && e.getValue().isJsonObject()) {
        requireKnownKeys(e.getValue().getAsJsonObject(), match.getType(), where, name);
      }
    }
  }

  /** The innermost message, on one line (gson appends a troubleshooting link and lenient-mode advice). */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    String first = message.lines().findFirst().orElse("");
    int advice = first.indexOf(" Use JsonReader.setStrictness");
    if (advice < 0) {
      advice = first.indexOf(" Use JsonReader.setLenient");
    }
    return advice > 0 ? first.substring(0, advice) : first;
  }
}
