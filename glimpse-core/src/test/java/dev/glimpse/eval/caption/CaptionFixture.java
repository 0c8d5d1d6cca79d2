package dev.glimpse.eval.caption;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A caption fixture of {@code src/test/resources/fixtures/metrics} (schema in its README): inputs,
 * the toolkit's tokenized strings and its scores.
 */
record CaptionFixture(
    List<JsonObject> images,
    List<List<String>> refs,
    List<String> candidates,
    List<List<String>> refsTokenized,
    List<String> candidatesTokenized,
    JsonObject expected) {

  static final String[] METRICS = {"Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"};

  static CaptionFixture load(String name) {
    JsonObject root = resource("/fixtures/metrics/" + name).getAsJsonObject();
    JsonArray items =
        root.has("cases") ? root.getAsJsonArray("cases") : root.getAsJsonArray("images");
    List<JsonObject> images = new ArrayList<>();
    List<List<String>> refs = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    List<List<String>> refsTokenized = new ArrayList<>();
    List<String> candidatesTokenized = new ArrayList<>();
    for (JsonElement e : items) {
      JsonObject o = e.getAsJsonObject();
      images.add(o);
      refs.add(strings(o.getAsJsonArray("refs")));
      candidates.add(o.get("candidate").getAsString());
      refsTokenized.add(strings(o.getAsJsonArray("refs_tokenized")));
      candidatesTokenized.add(o.get("candidate_tokenized").getAsString());
    }
    return new CaptionFixture(
        images,
        refs,
        candidates,
        refsTokenized,
        candidatesTokenized,
        root.getAsJsonObject("expected"));
  }

  /** Raw references keyed by image id, in fixture order. */
  Map<String, List<String>> refsById() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < images.size(); i++) {
      out.put(id(i), refs.get(i));
    }
    return out;
  }

  Map<String, String> candidatesById() {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < images.size(); i++) {
      out.put(id(i), candidates.get(i));
    }
    return out;
  }

  String id(int i) {
    return images.get(i).get("image_id").getAsString();
  }

  static double[] doubles(JsonArray a) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).getAsDouble();
    }
    return out;
  }

  static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : a) {
      out.add(e.getAsString());
    }
    return out;
  }

  static JsonElement resource(String path) {
    try (InputStream in = CaptionFixture.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
