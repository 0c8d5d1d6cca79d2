package dev.glimpse.model;

import com.google.gson.JsonElement;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of model designs ({@link ModelDesign}): type name -> config record and builder. Every
 * design listed in a {@code META-INF/services/dev.glimpse.model.ModelDesign} file on the classpath
 * is registered when this class loads.
 */
public final class Models {
  private static final Map<String, ModelDesign> REGISTRY = Collections.synchronizedMap(new LinkedHashMap<>());

  static {
    for (ModelDesign design : ServiceLoader.load(ModelDesign.class, Models.class.getClassLoader())) {
      register(design);
    }
  }

  private Models() {}

  /** Registers a design (replacing one of the same type name). */
  public static void register(ModelDesign design) {
    REGISTRY.put(design.type(), design);
  }

  /** The design of a registered type; unknown types are a user error listing the known ones. */
  public static ModelDesign design(String type) {
    ModelDesign d = REGISTRY.get(type);
    if (d == null) {
      throw new GlimpseException("unknown model type '" + type + "' (known: " + String.join(", ", REGISTRY.keySet())
          + ")");
    }
    return d;
  }

  public static Iterable<String> types() {
    return REGISTRY.keySet();
  }

  /** Builds a captioning model; a design that cannot write text (CLIP) is a user error. */
  public static CaptioningModel create(ModelConfig config, ParameterStore.Scope scope) {
    Object model = build(config, scope);
    if (!(model instanceof CaptioningModel captioner)) {
      throw new GlimpseException("model type '" + config.modelType() + "' does not generate text (it is "
          + model.getClass().getSimpleName() + "); it cannot caption, answer or be trained on text targets");
    }
    return captioner;
  }

  /** Builds the model of any registered design (a {@link CaptioningModel}, a {@link ClipModel}, ...). */
  public static Object build(ModelConfig config, ParameterStore.Scope scope) {
    return design(config.modelType()).build(scope, config);
  }

  /** Reads a config of the given type; invalid values become errors naming {@code where}. */
  public static ModelConfig parse(String type, JsonElement json, String where) {
    ModelDesign d = design(type);
    if (json != null && json.isJsonObject()) {
      d.checkConfigJson(json.getAsJsonObject(), where);
      Json.requireKnownKeys(json.getAsJsonObject(), d.configClass(), where, "model.config");
    }
    try {
      ModelConfig cfg = Json.GSON.fromJson(json, d.configClass());
      if (cfg == null) {
        throw new GlimpseException(where + ": missing model config");
      }
      return cfg;
    } catch (RuntimeException ex) {
      throw new GlimpseException("invalid model config in " + where + ": " + rootMessage(ex));
    }
  }

  public static JsonElement toJson(ModelConfig config) {
    return Json.GSON.toJsonTree(config);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
