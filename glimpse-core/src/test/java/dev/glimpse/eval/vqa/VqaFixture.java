package dev.glimpse.eval.vqa;

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

/** {@code vqa_small.json} (schema in the fixture README): inputs and the official outputs. */
final class VqaFixture {
  final JsonObject root;
  final List<JsonObject> questionRecords = new ArrayList<>();
  final List<VqaQuestion> questions = new ArrayList<>();
  final Map<Long, String> predictions = new LinkedHashMap<>();

  VqaFixture() {
    try (InputStream in =
        VqaFixture.class.getResourceAsStream("/fixtures/metrics/vqa_small.json")) {
      root =
          JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
              .getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (JsonElement e : root.getAsJsonArray("questions")) {
      JsonObject q = e.getAsJsonObject();
      questionRecords.add(q);
      List<VqaQuestion.Answer> answers = new ArrayList<>();
      for (JsonElement a : q.getAsJsonArray("answers")) {
        JsonObject o = a.getAsJsonObject();
        answers.add(
            new VqaQuestion.Answer(
                o.get("answer").getAsString(),
                o.get("answer_confidence").getAsString(),
                o.get("answer_id").getAsLong()));
      }
      long id = q.get("question_id").getAsLong();
      questions.add(
          new VqaQuestion(
              id,
              q.get("question_type").getAsString(),
              q.get("answer_type").getAsString(),
              answers));
      predictions.put(id, q.get("prediction").getAsString());
    }
  }

  JsonObject expected() {
    return root.getAsJsonObject("expected");
  }
}
