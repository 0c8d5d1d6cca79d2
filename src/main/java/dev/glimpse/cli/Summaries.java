package dev.glimpse.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.util.Map;

/** Prints a result object as aligned "key: value" lines for people, or as JSON under --json. */
final class Summaries {
  private Summaries() {}

  static void print(CommonOptions common, String title, JsonObject result) {
    if (common.json) {
      common.printJson(result);
      return;
    }
    PrintStream out = common.info();
    out.println();
    out.println(title + ":");
    print(out, result, "  ");
  }

  private static void print(PrintStream out, JsonObject o, String indent) {
    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
      JsonElement v = e.getValue();
      if (v.isJsonObject()) {
        out.println(indent + e.getKey() + ":");
        print(out, v.getAsJsonObject(), indent + "  ");
      } else if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
        double d = v.getAsDouble();
        String text = d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format("%.4f", d);
        out.println(indent + e.getKey() + ": " + text);
      } else {
        out.println(indent + e.getKey() + ": " + (v.isJsonPrimitive() ? v.getAsString() : v.toString()));
      }
    }
  }
}
