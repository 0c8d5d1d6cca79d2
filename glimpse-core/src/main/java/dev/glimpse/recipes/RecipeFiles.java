package dev.glimpse.recipes;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.Models;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.nio.file.Path;
import java.util.Map;

/**
 * Recipes as JSON files. A file may name a base recipe and override only some values:
 *
 * <pre>
 * {"recipe": "quickstart", "train": {"steps": 500, "learningRate": 0.001}}
 * </pre>
 *
 * Unknown keys are errors (a typo must not be silently ignored); invalid values fail with the
 * config record's message.
 */
public final class RecipeFiles {
  private RecipeFiles() {}

  public static JsonObject toJson(Recipe r) {
    JsonObject o = new JsonObject();
    o.addProperty("name", r.name());
    o.addProperty("description", r.description());
    o.addProperty("task", r.task());
    JsonObject model = new JsonObject();
    model.addProperty("type", r.model().modelType());
    model.add("config", Models.toJson(r.model()));
    o.add("model", model);
    o.add("train", Json.GSON.toJsonTree(r.train()));
    o.add("data", Json.GSON.toJsonTree(r.data()));
    o.add("tokenizer", Json.GSON.toJsonTree(r.tokenizer()));
    o.add("eval", Json.GSON.toJsonTree(r.eval()));
    if (r.after() != null) {
      o.addProperty("after", r.after());
    }
    return o;
  }

  public static Recipe read(Path file) {
    JsonElement parsed = Json.parse(file);
    if (!parsed.isJsonObject()) {
      throw new GlimpseException(file + ": a recipe file must be a JSON object");
    }
    return fromJson(parsed.getAsJsonObject(), file.toString());
  }

  public static Recipe fromJson(JsonObject file, String where) {
    JsonObject merged;
    if (file.has("recipe")) {
      JsonObject base = toJson(Recipes.get(file.get("recipe").getAsString()));
      JsonObject overrides = file.deepCopy();
      overrides.remove("recipe");
      merged = merge(base, overrides, where, "");
    } else {
      merged = file;
    }
    return parse(merged, where);
  }

  private static JsonObject merge(JsonObject base, JsonObject overrides, String where, String path) {
    JsonObject out = base.deepCopy();
    for (Map.Entry<String, JsonElement> e : overrides.entrySet()) {
      String key = e.getKey();
      String full = path.isEmpty() ? key : path + "." + key;
      if (!out.has(key) && !isOptional(full)) {
        throw new GlimpseException(where + ": unknown field '" + full + "'");
      }
      JsonElement current = out.get(key);
      if (current != null && current.isJsonObject() && e.getValue().isJsonObject()) {
        out.add(key, merge(current.getAsJsonObject(), e.getValue().getAsJsonObject(), where, full));
      } else {
        out.add(key, e.getValue());
      }
    }
    return out;
  }

  // Nullable fields that Gson leaves out of the base JSON when null.
  private static boolean isOptional(String path) {
    return path.equals("tokenizer.file") || path.equals("tokenizer.chatTemplate") || path.equals("after")
        || path.equals("train.objective") || path.equals("data.fewShotMix") || path.endsWith("visionFeatureLayer") || path.endsWith("anyRes") || path.equals("description") || path.equals("data.testSource")
        || path.equals("data.cleanTextMixEnd") || path.equals("data.cleanTextMixRamp")
        || path.equals("data.cleanTextMixHold") || path.endsWith("vision.stemChannels")
        || path.endsWith("vision.stemPatchify") || path.equals("train.gradientCacheChunk")
        || path.equals("eval.referenceCaptioner") || path.equals("model.config.captioner");
  }

  private static Recipe parse(JsonObject o, String where) {
    for (String key : o.keySet()) {
      if (!java.util.Set.of("name", "description", "task", "model", "train", "data", "tokenizer", "eval", "after").contains(key)) {
        throw new GlimpseException(where + ": unknown field '" + key + "'");
      }
    }
    JsonObject model = object(o, "model", where);
    String type = string(model, "type", where + " model");
    ModelConfig modelConfig = Models.parse(type, object(model, "config", where + " model"), where);
    try {
      return new Recipe(
          string(o, "name", where),
          o.has("description") ? o.get("description").getAsString() : "",
          o.has("task") ? o.get("task").getAsString() : "captions",
          modelConfig,
          section(o, "train", TrainConfig.class, where),
          section(o, "data", DataConfig.class, where),
          section(o, "tokenizer", TokenizerConfig.class, where),
          section(o, "eval", EvalConfig.class, where),
          o.has("after") && !o.get("after").isJsonNull() ? o.get("after").getAsString() : null);
    } catch (IllegalArgumentException e) {
      throw new GlimpseException("invalid recipe in " + where + ": " + e.getMessage());
    }
  }

  private static <T extends Record> T section(JsonObject o, String key, Class<T> type, String where) {
    JsonObject section = object(o, key, where);
    Json.requireKnownKeys(section, type, where, key);
    try {
      return Json.GSON.fromJson(section, type);
    } catch (RuntimeException e) {
      Throwable t = e;
      while (t.getCause() != null) {
        t = t.getCause();
      }
      throw new GlimpseException("invalid value in " + where + " (" + key + "): " + t.getMessage());
    }
  }

  private static JsonObject object(JsonObject o, String key, String where) {
    if (!o.has(key) || !o.get(key).isJsonObject()) {
      throw new GlimpseException(where + ": missing object '" + key + "'");
    }
    return o.getAsJsonObject(key);
  }

  private static String string(JsonObject o, String key, String where) {
    if (!o.has(key) || !o.get(key).isJsonPrimitive()) {
      throw new GlimpseException(where + ": missing string '" + key + "'");
    }
    return o.get(key).getAsString();
  }
}
