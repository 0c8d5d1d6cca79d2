package dev.glimpse.model;

import com.google.gson.JsonElement;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** The registry of model designs: type name -> config record and constructor. */
public final class Models {
  private record Entry(Class<? extends ModelConfig> configClass,
      BiFunction<ParameterStore.Scope, ModelConfig, ?> builder) {}

  private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

  static {
    register(GitConfig.TYPE, GitConfig.class, (scope, cfg) -> new GitModel(scope, (GitConfig) cfg));
    register(LlavaConfig.TYPE, LlavaConfig.class, (scope, cfg) -> new LlavaModel(scope, (LlavaConfig) cfg));
    register(Blip2Config.TYPE, Blip2Config.class, (scope, cfg) -> new Blip2Model(scope, (Blip2Config) cfg));
    register(GenLipConfig.TYPE, GenLipConfig.class, (scope, cfg) -> new GenLipModel(scope, (GenLipConfig) cfg));
    register(ClipConfig.TYPE, ClipConfig.class, (scope, cfg) -> new ClipModel(scope, (ClipConfig) cfg));
  }

  private Models() {}

  /** Registers a design; its builder returns a {@link CaptioningModel} or another model class (CLIP). */
  public static void register(String type, Class<? extends ModelConfig> configClass,
      BiFunction<ParameterStore.Scope, ModelConfig, ?> builder) {
    REGISTRY.put(type, new Entry(configClass, builder));
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
    return entry(config.modelType()).builder.apply(scope, config);
  }

  /** Reads a config of the given type; invalid values become errors naming {@code where}. */
  public static ModelConfig parse(String type, JsonElement json, String where) {
    Entry e = entry(type);
    if (json != null && json.isJsonObject()) {
      Json.requireKnownKeys(json.getAsJsonObject(), e.configClass, where, "model.config");
    }
    try {
      ModelConfig cfg = Json.GSON.fromJson(json, e.configClass);
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

  private static Entry entry(String type) {
    Entry e = REGISTRY.get(type);
    if (e == null) {
      throw new GlimpseException("unknown model type '" + type + "' (known: " + String.join(", ", REGISTRY.keySet())
          + ")");
    }
    return e;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
