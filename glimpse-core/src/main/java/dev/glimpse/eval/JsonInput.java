package dev.glimpse.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;

/**
 * Reads the fields of an evaluation input file (COCO / VQA JSON) with errors that name the file and
 * the place, e.g. {@code results.json: [3].caption: expected a string, got null}.
 */
public final class JsonInput {
  private final Path file;

  private JsonInput(Path file) {
    this.file = file;
  }

  public static JsonInput of(Path file) {
    return new JsonInput(file);
  }

  /** Parses the whole file (strict UTF-8, valid JSON). */
  public JsonElement parse() {
    return Json.parse(file);
  }

  public JsonObject object(JsonElement e, String where) {
    if (e == null || !e.isJsonObject()) {
      throw error(where, "expected an object, got " + describe(e));
    }
    return e.getAsJsonObject();
  }

  public JsonArray array(JsonElement e, String where) {
    if (e == null || !e.isJsonArray()) {
      throw error(where, "expected an array, got " + describe(e));
    }
    return e.getAsJsonArray();
  }

  public JsonElement field(JsonObject o, String name, String where) {
    JsonElement e = o.get(name);
    if (e == null) {
      throw error(where, "missing field \"" + name + "\"");
    }
    return e;
  }

  public String string(JsonObject o, String name, String where) {
    JsonElement e = field(o, name, where);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw error(where + "." + name, "expected a string, got " + describe(e));
    }
    return e.getAsString();
  }

  /** An optional string field: null when absent. */
  public String optionalString(JsonObject o, String name, String where) {
    return o.has(name) && !o.get(name).isJsonNull() ? string(o, name, where) : null;
  }

  /**
   * An id: an integer or a string, returned as its canonical text ({@code 5}, {@code 5.0} and
   * {@code "5"} are the same id).
   */
  public String id(JsonObject o, String name, String where) {
    JsonElement e = field(o, name, where);
    if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      if (p.isString()) {
        return p.getAsString();
      }
      if (p.isNumber()) {
        try {
          return new BigDecimal(p.getAsString()).toBigIntegerExact().toString();
        } catch (ArithmeticException | NumberFormatException notInteger) {
          // fall through
        }
      }
    }
    throw error(where + "." + name, "expected an integer or string id, got " + describe(e));
  }

  /** An integer id (VQA question ids). */
  public long longId(JsonObject o, String name, String where) {
    String id = id(o, name, where);
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw error(where + "." + name, "expected an integer id, got \"" + id + "\"");
    }
  }

  public GlimpseException error(String where, String problem) {
    return new GlimpseException(file + ": " + (where.isEmpty() ? "" : where + ": ") + problem);
  }

  public GlimpseException error(String problem) {
    return new GlimpseException(file + ": " + problem);
  }

  /** "5, 7, 9 and 12 more": the first few items of a collection for a message. */
  public static String firstFew(Collection<?> items) {
    StringBuilder sb = new StringBuilder();
    Iterator<?> it = items.iterator();
    for (int i = 0; i < 5 && it.hasNext(); i++) {
      sb.append(i == 0 ? "" : ", ").append(it.next());
    }
    if (items.size() > 5) {
      sb.append(" and ").append(items.size() - 5).append(" more");
    }
    return sb.toString();
  }

  private static String describe(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return "null";
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    if (p.isString()) {
      return "a string";
    }
    return p.isBoolean() ? "a boolean (" + p + ")" : "a number (" + p + ")";
  }
}
