package dev.glimpse.data.loaders;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text fields of one JSON record, shared by JSONL lines and WebDataset {@code .json} entries.
 *
 * <ul>
 *   <li>captioning: {@code "caption": "..."}, {@code "captions": ["...", ...]} or {@code "text"}
 *   <li>VQA: {@code "question": "..."} (the prompt) with {@code "answer": "..."} or {@code
 *       "answers": [...]}, each answer a string or a VQA {@code {"answer": "..."}} object; a
 *       question without answers is allowed (test splits)
 *   <li>{@code "id"}: optional identifier
 *   <li>any other string, number or boolean member is kept in the example's metadata
 * </ul>
 *
 * @param id the "id" member, or null
 * @param prompt the question, or ""
 * @param targets captions or answers
 * @param metadata the other scalar members
 */
record TextFields(String id, String prompt, List<String> targets, Map<String, Object> metadata) {
  /** Members with a meaning; the rest go to metadata (except these image keys, which callers use). */
  static final Set<String> KNOWN =
      Set.of("id", "caption", "captions", "text", "question", "answer", "answers", "image", "images");

  /** Parses {@code record}; a missing or ill-typed field is an {@link IllegalArgumentException}. */
  static TextFields parse(JsonObject record) {
    String id = scalar(record, "id");
    String question = string(record, "question");
    List<String> answers = new ArrayList<>();
    if (record.has("answer")) {
      answers.add(answer(record.get("answer"), "answer"));
    }
    if (record.has("answers")) {
      answers.addAll(strings(record, "answers"));
    }
    List<String> captions = new ArrayList<>();
    for (String key : List.of("caption", "text")) {
      if (record.has(key)) {
        captions.add(string(record, key));
      }
    }
    if (record.has("captions")) {
      captions.addAll(strings(record, "captions"));
    }
    if (question == null && !answers.isEmpty()) {
      throw new IllegalArgumentException("has answers but no \"question\"");
    }
    if (question != null && !captions.isEmpty()) {
      throw new IllegalArgumentException("has both a \"question\" and captions; use one record per task");
    }
    if (question == null && captions.isEmpty()) {
      throw new IllegalArgumentException("needs \"caption\", \"captions\", \"text\" or \"question\"");
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> member : record.entrySet()) {
      if (!KNOWN.contains(member.getKey()) && member.getValue().isJsonPrimitive()) {
        metadata.put(member.getKey(), scalar(member.getValue().getAsJsonPrimitive()));
      }
    }
    return new TextFields(id, question == null ? "" : question, question == null ? captions : answers, metadata);
  }

  /** A JSON scalar as Boolean, Long (integral numbers), Double or String. */
  static Object scalar(JsonPrimitive p) {
    if (p.isBoolean()) {
      return p.getAsBoolean();
    }
    if (p.isNumber()) {
      double d = p.getAsDouble();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) p.getAsLong() : (Object) d;
    }
    return p.getAsString();
  }

  private static String scalar(JsonObject record, String key) {
    JsonElement value = record.get(key);
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (!value.isJsonPrimitive()) {
      throw new IllegalArgumentException("\"" + key + "\" should be a string or number, found " + value);
    }
    return value.getAsString();
  }

  private static String string(JsonObject record, String key) {
    JsonElement value = record.get(key);
    if (value == null || value.isJsonNull()) {
      return null;
    }
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("\"" + key + "\" should be a string, found " + value);
    }
    return value.getAsString().strip();
  }

  private static List<String> strings(JsonObject record, String key) {
    JsonElement value = record.get(key);
    if (!value.isJsonArray()) {
      throw new IllegalArgumentException("\"" + key + "\" should be a list, found " + value);
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    for (JsonElement element : value.getAsJsonArray()) {
      out.add(answer(element, key + "[" + i++ + "]"));
    }
    return out;
  }

  /** A string, or a VQA answer object {"answer": "...", "answer_confidence": ...}. */
  private static String answer(JsonElement element, String where) {
    if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isString()) {
      return element.getAsString().strip();
    }
    if (element.isJsonObject()) {
      JsonElement answer = element.getAsJsonObject().get("answer");
      if (answer != null && answer.isJsonPrimitive()) {
        return answer.getAsString().strip();
      }
    }
    throw new IllegalArgumentException("\"" + where + "\" should be a string or {\"answer\": ...}, found " + element);
  }
}
