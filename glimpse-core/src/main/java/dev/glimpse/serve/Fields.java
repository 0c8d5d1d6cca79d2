package dev.glimpse.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/** Typed reads of request fields; a wrong type is a 400 naming the field and what it holds. */
final class Fields {
  private Fields() {}

  static JsonElement get(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? null : e;
  }

  static String string(JsonObject o, String key, String param) {
    JsonElement e = get(o, key);
    if (e == null) {
      return null;
    }
    if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString())) {
      throw wrongType(param, "a string", e);
    }
    return e.getAsString();
  }

  static Boolean bool(JsonObject o, String key, String param) {
    JsonElement e = get(o, key);
    if (e == null) {
      return null;
    }
    if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean())) {
      throw wrongType(param, "a boolean", e);
    }
    return e.getAsBoolean();
  }

  static Double number(JsonObject o, String key, String param) {
    JsonElement e = get(o, key);
    if (e == null) {
      return null;
    }
    if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber())) {
      throw wrongType(param, "a number", e);
    }
    double v = e.getAsDouble();
    if (!Double.isFinite(v)) {
      throw ApiException.invalid(param, param + ": expected a finite number");
    }
    return v;
  }

  static Long integer(JsonObject o, String key, String param) {
    JsonElement e = get(o, key);
    if (e == null) {
      return null;
    }
    if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber())) {
      throw wrongType(param, "an integer", e);
    }
    try {
      return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
    } catch (ArithmeticException ex) {
      throw ApiException.invalid(param, param + ": expected an integer, got " + e);
    }
  }

  static JsonObject object(JsonElement e, String param) {
    if (e == null || !e.isJsonObject()) {
      throw wrongType(param, "an object", e);
    }
    return e.getAsJsonObject();
  }

  static JsonArray array(JsonObject o, String key, String param) {
    JsonElement e = get(o, key);
    if (e == null) {
      return null;
    }
    if (!e.isJsonArray()) {
      throw wrongType(param, "an array", e);
    }
    return e.getAsJsonArray();
  }

  static ApiException wrongType(String param, String expected, JsonElement got) {
    return ApiException.invalid(param, param + ": expected " + expected + ", got " + describe(got));
  }

  static String describe(JsonElement e) {
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
    return p.isString() ? "a string" : p.isBoolean() ? "a boolean" : "a number";
  }
}
