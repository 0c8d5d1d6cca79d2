package dev.glimpse.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.Models;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code config.json} of a Glimpse checkpoint folder, and the one class that writes and reads it:
 * which model (type and config), how images are fed to it, which tokenizer it was saved with, the
 * parameter groups it was trained under, the recipe that trained it (task, data and evaluation
 * settings, so that {@code glimpse eval} evaluates as the recipe did) and, for a model that came
 * from HuggingFace, the original side files (so that {@code glimpse export hf} writes them back).
 *
 * <p>Checkpoints written before this class existed (format version 1: no {@code format_version},
 * {@code tokenizer} or {@code parameter_groups}) read as they always did.
 *
 * @param model the model's config
 * @param image how an image becomes the model's input
 * @param tokenizer the tokenizer saved beside the weights, or null (an imported model without one)
 * @param parameterGroups the groups the optimizer trained under (empty: none)
 * @param recipe the recipe that trained the model, or null (an imported model)
 * @param hf HuggingFace side files ({@code config}, {@code generation_config}, ...), or null
 */
public record CheckpointConfig(ModelConfig model, ImageTransform image, TokenizerInfo tokenizer,
    List<ParameterGroup> parameterGroups, RecipeInfo recipe, JsonObject hf) {
  /** The file name inside a checkpoint folder. */
  public static final String FILE = "config.json";
  /** The version this class writes: 2 added {@code tokenizer} and {@code parameter_groups}. */
  public static final int VERSION = 2;
  private static final String FORMAT = "glimpse";

  public CheckpointConfig {
    if (model == null || image == null) {
      throw new IllegalArgumentException("a checkpoint config needs a model config and image settings");
    }
    parameterGroups = parameterGroups == null ? List.of() : List.copyOf(parameterGroups);
    hf = hf == null ? null : hf.deepCopy();
  }

  /**
   * The recipe a checkpoint was trained by.
   *
   * @param name the recipe's name
   * @param task its task ("captions", "vqa", ...)
   * @param data its data settings as JSON (read by the recipes layer)
   * @param eval its evaluation settings as JSON, or null
   */
  public record RecipeInfo(String name, String task, JsonElement data, JsonElement eval) {}

  /**
   * The tokenizer saved with the weights.
   *
   * @param file its file in the folder ({@code tokenizer.json})
   * @param vocabSize the ids it has (at most the model's vocabulary)
   */
  public record TokenizerInfo(String file, int vocabSize) {}

  /** The model's registered type name. */
  public String modelType() {
    return model.modelType();
  }

  /** This config recording another saved tokenizer (null: none). */
  public CheckpointConfig withTokenizer(TokenizerInfo saved) {
    return new CheckpointConfig(model, image, saved, parameterGroups, recipe, hf);
  }

  /** This config with other HuggingFace side files. */
  public CheckpointConfig withHf(JsonObject section) {
    return new CheckpointConfig(model, image, tokenizer, parameterGroups, recipe, section);
  }

  /** The JSON written to {@value #FILE}. */
  public JsonObject toJson() {
    JsonObject c = new JsonObject();
    c.addProperty("format", FORMAT);
    c.addProperty("format_version", VERSION);
    c.addProperty("model_type", model.modelType());
    c.add("model", Models.toJson(model));
    c.add("image", Json.GSON.toJsonTree(image));
    if (tokenizer != null) {
      JsonObject t = new JsonObject();
      t.addProperty("file", tokenizer.file());
      t.addProperty("vocab_size", tokenizer.vocabSize());
      c.add("tokenizer", t);
    }
    c.add("parameter_groups", Json.GSON.toJsonTree(parameterGroups));
    if (recipe != null) {
      c.addProperty("task", recipe.task());
      c.addProperty("recipe", recipe.name());
      if (recipe.data() != null) {
        c.add("data", recipe.data());
      }
      if (recipe.eval() != null) {
        c.add("eval", recipe.eval());
      }
    }
    if (hf != null) {
      c.add("hf", hf.deepCopy());
    }
    return c;
  }

  /** Writes {@code dir/config.json} (inside a folder that is being written; the caller renames it in place). */
  public void write(Path dir) {
    Json.writeTree(dir.resolve(FILE), toJson()); // keeps the explicit nulls of an imported HF config
  }

  /** Whether a parsed {@code config.json} is a Glimpse checkpoint's (rather than a HuggingFace model's). */
  public static boolean isGlimpse(JsonObject json) {
    boolean format = json.has("format") && json.get("format").isJsonPrimitive()
        && json.get("format").getAsString().equals(FORMAT);
    return format || json.has("model") && json.get("model").isJsonObject();
  }

  /** Reads {@code dir/config.json}; every problem is one error naming the file. */
  public static CheckpointConfig read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new GlimpseException(dir + " has no " + FILE + ": not a checkpoint folder");
    }
    JsonElement parsed = Json.parse(file);
    if (!parsed.isJsonObject()) {
      throw new GlimpseException(file + " is not a JSON object");
    }
    return fromJson(parsed.getAsJsonObject(), file.toString());
  }

  /** Parses a checkpoint's config JSON ({@code where} names it in errors). */
  public static CheckpointConfig fromJson(JsonObject json, String where) {
    if (!json.has("model_type") || !json.has("model") || !json.get("model_type").isJsonPrimitive()) {
      throw new GlimpseException(where + " has no model_type/model: not a Glimpse checkpoint");
    }
    if (json.has("format_version") && json.get("format_version").getAsInt() > VERSION) {
      throw new GlimpseException(where + " is checkpoint format version " + json.get("format_version").getAsInt()
          + "; this Glimpse reads up to version " + VERSION + " (update Glimpse)");
    }
    ModelConfig model = Models.parse(json.get("model_type").getAsString(), json.get("model"), where);
    ImageTransform image = json.has("image") && json.get("image").isJsonObject()
        ? parse(json.get("image"), ImageTransform.class, "image settings", where)
        : ImageTransform.square(model.imageSize());
    TokenizerInfo tokenizer = null;
    if (json.has("tokenizer") && json.get("tokenizer").isJsonObject()) {
      JsonObject t = json.getAsJsonObject("tokenizer");
      tokenizer = new TokenizerInfo(t.has("file") ? t.get("file").getAsString() : "tokenizer.json",
          t.has("vocab_size") ? t.get("vocab_size").getAsInt() : 0);
    }
    List<ParameterGroup> groups = new ArrayList<>();
    if (json.has("parameter_groups") && json.get("parameter_groups").isJsonArray()) {
      for (JsonElement g : json.getAsJsonArray("parameter_groups")) {
        groups.add(parse(g, ParameterGroup.class, "parameter group", where));
      }
    }
    RecipeInfo recipe = null;
    if (json.has("task") || json.has("recipe") || json.has("data")) {
      recipe = new RecipeInfo(string(json, "recipe"), json.has("task") ? string(json, "task") : "captions",
          json.get("data"), json.get("eval"));
    }
    JsonObject hf = json.has("hf") && json.get("hf").isJsonObject() ? json.getAsJsonObject("hf") : null;
    return new CheckpointConfig(model, image, tokenizer, groups, recipe, hf);
  }

  private static String string(JsonObject json, String key) {
    JsonElement e = json.get(key);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  private static <T> T parse(JsonElement e, Class<T> type, String what, String where) {
    try {
      T value = Json.GSON.fromJson(e, type);
      if (value == null) {
        throw new IllegalArgumentException("empty");
      }
      return value;
    } catch (RuntimeException ex) {
      throw new GlimpseException("invalid " + what + " in " + where + ": " + Json.rootMessage(ex));
    }
  }
}
