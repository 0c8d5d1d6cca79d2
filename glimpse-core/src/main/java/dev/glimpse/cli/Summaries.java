package dev.glimpse.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.Map;

/**
 * Prints a result for people as aligned "key: value" lines (only the headline figures when a list of
 * paths is given; everything is in the JSON under --json).
 */
final class Summaries {
  private Summaries() {}

  /**
   * @param paths dotted paths of the values to show (e.g. "attribute_accuracy.count"); none = all
   */
  static void print(CommonOptions common, String title, JsonObject result, String... paths) {
    if (common.json) {
      common.printJson(result);
      return;
    }
    PrintStream out = common.info();
    out.println();
    out.println(title + ":");
    if (paths.length == 0) {
      print(out, result, "  ");
      return;
    }
    for (String path : paths) {
      JsonElement v = find(result, path);
      if (v != null && !v.isJsonNull()) {
        out.printf("  %-44s %s%n", path + ":", format(v));
      }
    }
  }

  private static JsonElement find(JsonObject o, String path) {
    JsonElement current = o;
    for (String part : path.split("\\.")) {
      if (current == null || !current.isJsonObject()) {
        return null;
      }
      current = current.getAsJsonObject().get(part);
    }
    return current;
  }

  private static void print(PrintStream out, JsonObject o, String indent) {
    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
      JsonElement v = e.getValue();
      if (v.isJsonObject()) {
        out.println(indent + e.getKey() + ":");
        print(out, v.getAsJsonObject(), indent + "  ");
      } else {
        out.println(indent + e.getKey() + ": " + format(v));
      }
    }
  }

  static String format(JsonElement v) {
    if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
      double d = v.getAsDouble();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format("%.4f", d);
    }
    return v.isJsonPrimitive() ? v.getAsString() : v.toString();
  }
}
