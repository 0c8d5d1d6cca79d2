package dev.glimpse.model;

import dev.glimpse.nn.ParameterStore;

/**
 * One model design as the rest of Glimpse sees it: its type name (saved in checkpoints), its config
 * record, and how to build the model from a config. A design that can be trained also says how
 * ({@code dev.glimpse.train.TrainableDesign}).
 *
 * <p>Designs are registered once: listed in {@code META-INF/services/dev.glimpse.model.ModelDesign}
 * (Glimpse's own, and any on the classpath, such as a user's jar or the test sources) and found by
 * {@link Models}; {@link Models#register} adds one at run time.
 */
public interface ModelDesign {
  /** The type name in recipes and checkpoints, e.g. "git". */
  String type();

  /** The config record (read from and written to JSON). */
  Class<? extends ModelConfig> configClass();

  /** Builds the model, creating its parameters in {@code scope}. */
  Object build(ParameterStore.Scope scope, ModelConfig config);

  /**
   * Refuses, with a message of its own, a config JSON of an earlier form that this design no longer
   * reads (rather than the generic "unknown field"); called before the JSON is parsed.
   *
   * @param where the file, for the message
   */
  default void checkConfigJson(com.google.gson.JsonObject config, String where) {}
}
