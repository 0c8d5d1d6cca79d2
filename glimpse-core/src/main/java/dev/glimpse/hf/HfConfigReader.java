package dev.glimpse.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.nn.ActivationType;
import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading of one HuggingFace config object ({@code config.json} or a nested
 * {@code text_config}...): every key must be read by the mapping, be harmless (dropout, init,
 * generation defaults, labels, bookkeeping) or hold its default; {@link #finish} rejects the rest,
 * naming the option. A missing key takes the transformers 4.45 class default given by the caller.
 */
final class HfConfigReader {
  /**
   * PretrainedConfig keys that do not change the function a loaded model computes ({@code dtype} is
   * {@code torch_dtype} as transformers 4.56 and later write it; the weights file says the real dtype).
   */
  private static final Set<String> HARMLESS = Set.of(
      "architectures", "model_type", "transformers_version", "torch_dtype", "dtype", "use_bfloat16", "torchscript",
      "return_dict", "output_attentions", "output_hidden_states", "use_cache", "id2label", "label2id",
      "num_labels", "problem_type", "finetuning_task", "tokenizer_class", "prefix", "task_specific_params",
      "tf_legacy_loss", "chunk_size_feed_forward", "bos_token_id", "eos_token_id", "pad_token_id",
      "sep_token_id", "decoder_start_token_id", "gradient_checkpointing", "xla_device",
      // generation defaults (they set defaults of generate(), not the model's function)
      "max_length", "min_length", "do_sample", "early_stopping", "num_beams", "num_beam_groups",
      "diversity_penalty", "temperature", "top_k", "top_p", "typical_p", "repetition_penalty",
      "length_penalty", "no_repeat_ngram_size", "encoder_no_repeat_ngram_size", "bad_words_ids",
      "num_return_sequences", "output_scores", "return_dict_in_generate", "forced_bos_token_id",
      "forced_eos_token_id", "remove_invalid_values", "exponential_decay_length_penalty",
      "suppress_tokens", "begin_suppress_tokens");

  /** Keys whose only allowed value is the default (other values change the architecture). */
  private static final Map<String, JsonElement> FIXED = Map.of(
      "add_cross_attention", new com.google.gson.JsonPrimitive(false),
      "is_encoder_decoder", new com.google.gson.JsonPrimitive(false),
      "tie_encoder_decoder", new com.google.gson.JsonPrimitive(false),
      "is_decoder", new com.google.gson.JsonPrimitive(false),
      "cross_attention_hidden_size", com.google.gson.JsonNull.INSTANCE,
      "pruned_heads", new JsonObject());

  private final JsonObject json;
  private final String path;   // "" or "text_config."
  private final String source; // file name for messages
  private final Set<String> read = new HashSet<>();
  private final Set<String> alsoHarmless = new HashSet<>();

  HfConfigReader(JsonObject json, String path, String source) {
    this.json = json;
    this.path = path;
    this.source = source;
  }

  /** The section for messages: "config.json" or "config.json (text_config)". */
  String where() {
    return path.isEmpty() ? source : source + " (" + path.substring(0, path.length() - 1) + ")";
  }

  /** An HF {@code hidden_act} / {@code activation_function} name. */
  ActivationType activation(String key, String defaultValue) {
    String name = string(key, defaultValue);
    try {
      return ActivationType.fromHf(name);
    } catch (GlimpseException e) {
      throw unsupported(key, "'" + name + "'", "supported: gelu, gelu_new, gelu_pytorch_tanh, quick_gelu, relu, silu");
    }
  }

  String option(String key) {
    return path + key;
  }

  boolean has(String key) {
    return json.has(key) && !json.get(key).isJsonNull();
  }

  /** Marks keys as read without using them (they do not change the computation for this model). */
  HfConfigReader ignore(String... keys) {
    alsoHarmless.addAll(List.of(keys));
    return this;
  }

  private JsonElement get(String key) {
    read.add(key);
    return has(key) ? json.get(key) : null;
  }

  int integer(String key, int defaultValue) {
    JsonElement e = get(key);
    if (e == null) {
      return defaultValue;
    }
    try {
      double d = e.getAsDouble();
      if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return (int) d;
    } catch (RuntimeException ex) {
      throw bad(key, e, "an integer");
    }
  }

  /** An integer that may be null (returns null then). */
  Integer nullableInteger(String key) {
    if (has(key)) {
      return integer(key, 0);
    }
    return mark(key);
  }

  private Integer mark(String key) {
    read.add(key);
    return null;
  }

  double number(String key, double defaultValue) {
    JsonElement e = get(key);
    if (e == null) {
      return defaultValue;
    }
    try {
      return e.getAsDouble();
    } catch (RuntimeException ex) {
      throw bad(key, e, "a number");
    }
  }

  boolean bool(String key, boolean defaultValue) {
    JsonElement e = get(key);
    if (e == null) {
      return defaultValue;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw bad(key, e, "true or false");
    }
    return e.getAsBoolean();
  }

  String string(String key, String defaultValue) {
    JsonElement e = get(key);
    if (e == null) {
      return defaultValue;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw bad(key, e, "a string");
    }
    return e.getAsString();
  }

  /** A string option that must be one of {@code allowed}. */
  String choice(String key, String defaultValue, String... allowed) {
    String value = string(key, defaultValue);
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw unsupported(key, "'" + value + "'", "supported: " + String.join(", ", allowed));
  }

  /** An option Glimpse supports only when absent or null. */
  void requireNull(String key, String why) {
    JsonElement e = get(key);
    if (e != null) {
      throw unsupported(key, text(e), why);
    }
  }

  /** The same as {@link #integer} but the value must equal {@code expected}. */
  void requireInt(String key, int defaultValue, int expected, String why) {
    int v = integer(key, defaultValue);
    if (v != expected) {
      throw unsupported(key, String.valueOf(v), why);
    }
  }

  void requireBool(String key, boolean defaultValue, boolean expected, String why) {
    boolean v = bool(key, defaultValue);
    if (v != expected) {
      throw unsupported(key, String.valueOf(v), why);
    }
  }

  /** A nested config object ({@code vision_config}...); an absent one reads as {} (all defaults). */
  HfConfigReader sub(String key) {
    JsonElement e = get(key);
    if (e == null) {
      return new HfConfigReader(new JsonObject(), path + key + ".", source);
    }
    if (!e.isJsonObject()) {
      throw bad(key, e, "an object");
    }
    return new HfConfigReader(e.getAsJsonObject(), path + key + ".", source);
  }

  /** Rejects every key that was not read and is neither harmless nor at its only supported value. */
  void finish() {
    List<String> problems = new ArrayList<>();
    for (String key : new TreeSet<>(json.keySet())) {
      if (read.contains(key) || alsoHarmless.contains(key) || harmless(key)) {
        continue;
      }
      JsonElement fixed = FIXED.get(key);
      if (fixed != null) {
        JsonElement value = json.get(key);
        boolean isDefault = fixed.isJsonNull() ? value.isJsonNull() : fixed.equals(value)
            || (fixed.isJsonObject() && value.isJsonObject() && value.getAsJsonObject().size() == 0);
        if (!isDefault) {
          problems.add("'" + option(key) + "' = " + text(value));
        }
        continue;
      }
      problems.add("'" + option(key) + "'");
    }
    if (!problems.isEmpty()) {
      throw new GlimpseException(source + ": unsupported option" + (problems.size() > 1 ? "s " : " ")
          + String.join(", ", problems) + " (Glimpse does not know how "
          + (problems.size() > 1 ? "they change" : "it changes") + " the model; remove "
          + (problems.size() > 1 ? "them" : "it") + " only if it is irrelevant)");
    }
  }

  private static boolean harmless(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return HARMLESS.contains(key) || key.startsWith("_") || k.contains("dropout") || k.startsWith("initializer")
        || k.equals("init_std") || k.equals("layerdrop");
  }

  GlimpseException unsupported(String key, String value, String why) {
    return new GlimpseException(source + ": unsupported value " + value + " for option '" + option(key) + "' ("
        + why + ")");
  }

  private GlimpseException bad(String key, JsonElement e, String expected) {
    return new GlimpseException(source + ": option '" + option(key) + "' must be " + expected + ", got " + text(e));
  }

  private static String text(JsonElement e) {
    return e == null ? "null" : dev.glimpse.util.Json.COMPACT.toJson(e);
  }
}
