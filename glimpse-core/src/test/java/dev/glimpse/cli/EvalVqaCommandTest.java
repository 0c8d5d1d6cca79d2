package dev.glimpse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.testing.CliRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every documented behaviour of {@code glimpse eval vqa}, on the official fixture (vqa_small). */
class EvalVqaCommandTest {
  @TempDir Path dir;
  private JsonObject fixture;
  private JsonObject questions;
  private JsonObject annotations;
  private JsonArray results;

  @BeforeEach
  void writeOfficialFiles() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/fixtures/metrics/vqa_small.json")) {
      fixture =
          JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
              .getAsJsonObject();
    }
    questions = new JsonObject();
    questions.addProperty("task_type", "Open-Ended");
    questions.add("questions", new JsonArray());
    annotations = new JsonObject();
    annotations.add("annotations", new JsonArray());
    results = new JsonArray();
    for (JsonElement e : fixture.getAsJsonArray("questions")) {
      JsonObject q = e.getAsJsonObject();
      JsonObject question = new JsonObject();
      for (String key : new String[] {"question_id", "image_id", "question"}) {
        question.add(key, q.get(key));
      }
      questions.getAsJsonArray("questions").add(question);
      JsonObject ann = new JsonObject();
      for (String key :
          new String[] {
            "question_id",
            "image_id",
            "question_type",
            "answer_type",
            "multiple_choice_answer",
            "answers"
          }) {
        ann.add(key, q.get(key));
      }
      annotations.getAsJsonArray("annotations").add(ann);
      results.add(result(q.get("question_id").getAsLong(), q.get("prediction").getAsString()));
    }
    writeAll();
  }

  private void writeAll() throws IOException {
    write("questions.json", questions.toString());
    write("annotations.json", annotations.toString());
    write("results.json", results.toString());
  }

  private static JsonObject result(long questionId, String answer) {
    JsonObject r = new JsonObject();
    r.addProperty("question_id", questionId);
    r.addProperty("answer", answer);
    return r;
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private CliRun run(String... extra) {
    String[] base = {
      "eval", "vqa",
      "--questions", dir.resolve("questions.json").toString(),
      "--annotations", dir.resolve("annotations.json").toString(),
      "--results", dir.resolve("results.json").toString()
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return CliRun.of(args);
  }

  private static void assertUserError(CliRun run, String... fragments) {
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().startsWith("error: "), run.err());
    for (String f : fragments) {
      assertTrue(run.err().contains(f), "expected '" + f + "' in: " + run.err());
    }
  }

  @Test
  void jsonMatchesOfficialEvaluation() {
    CliRun run = run("--json", "--per-question");
    assertEquals(0, run.exitCode(), run.err());
    JsonObject json = run.json();
    JsonObject expected = fixture.getAsJsonObject("expected").getAsJsonObject("accuracy");
    assertEquals(expected.get("overall").getAsDouble(), json.get("overall").getAsDouble(), 0.0);
    for (String group : new String[] {"perAnswerType", "perQuestionType"}) {
      JsonObject e = expected.getAsJsonObject(group);
      JsonObject a = json.getAsJsonObject(group);
      assertEquals(e.keySet(), a.keySet());
      for (String type : e.keySet()) {
        assertEquals(e.get(type).getAsDouble(), a.get(type).getAsDouble(), 0.0, type);
      }
    }
    assertEquals(
        fixture.getAsJsonObject("expected").get("overall_unrounded_derived").getAsDouble(),
        100 * json.getAsJsonObject("unrounded").get("overall").getAsDouble(),
        1e-9);
    JsonObject evalQa = fixture.getAsJsonObject("expected").getAsJsonObject("evalQA");
    for (String id : evalQa.keySet()) {
      assertEquals(
          evalQa.get(id).getAsDouble(),
          json.getAsJsonObject("per_question").get(id).getAsDouble(),
          0.0);
    }
    assertEquals(53, json.get("questions").getAsInt());
    // the fixture has one empty prediction: scored, with a warning
    assertEquals(1, json.getAsJsonArray("warnings").size());
    assertTrue(run.err().contains("1 empty answers"), run.err());
  }

  @Test
  void humanOutputHasOfficialKeys() {
    CliRun run = run();
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("overall: 79.25"), run.out());
    assertTrue(
        run.out().contains("perAnswerType:") && run.out().contains("yes/no: 59.09"), run.out());
    assertTrue(run.out().contains("perQuestionType:"), run.out());
  }

  @Test
  void resultForUnknownQuestionIsAnError() throws IOException {
    results.add(result(123L, "yes"));
    writeAll();
    assertUserError(
        run(), "results.json", "1 result question ids are not in", "questions.json", "(ids 123)");
  }

  @Test
  void duplicateResultIsAnError() throws IOException {
    results.add(results.get(0).deepCopy());
    writeAll();
    assertUserError(run(), "results.json", "more than one answer", "9000000");
  }

  @Test
  void missingAnswersAreAnErrorUnlessSubset() throws IOException {
    results.remove(0);
    writeAll();
    assertUserError(
        run(), "no answer for 1 of the 53 annotated questions (ids 9000000)", "--subset");
    CliRun subset = run("--subset", "--json");
    assertEquals(0, subset.exitCode(), subset.err());
    assertEquals(52, subset.json().get("questions").getAsInt());
    assertTrue(subset.err().contains("warning: --subset"), subset.err());
  }

  @Test
  void questionWithoutAnnotationIsNotScoredAndCannotBeAnswered() throws IOException {
    annotations.getAsJsonArray("annotations").remove(0);
    results.remove(0);
    writeAll();
    CliRun run = run("--json");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.err().contains("1 questions have no annotation"), run.err());
    assertEquals(52, run.json().get("questions").getAsInt());
    results.add(result(9000000L, "yes"));
    writeAll();
    assertUserError(run(), "1 result question ids have no annotation in", "(ids 9000000)");
  }

  @Test
  void annotationForUnknownQuestionIsAnError() throws IOException {
    questions.getAsJsonArray("questions").remove(0);
    writeAll();
    assertUserError(
        run(), "annotations.json", "1 annotated question ids are not in", "(ids 9000000)");
  }

  @Test
  void wrongSchemaIsAnErrorNamingFileAndField() throws IOException {
    results.get(0).getAsJsonObject().addProperty("answer", 2);
    writeAll();
    assertUserError(run(), "results.json: [0].answer: expected a string, got a number (2)");
    writeOfficialFiles();
    annotations
        .getAsJsonArray("annotations")
        .get(1)
        .getAsJsonObject()
        .add("answers", new JsonArray());
    writeAll();
    assertUserError(
        run(), "annotations.json: annotations[1].answers: question 9000001 has no human answers");
    writeOfficialFiles();
    annotations.getAsJsonArray("annotations").get(2).getAsJsonObject().remove("answer_type");
    writeAll();
    assertUserError(run(), "annotations.json: annotations[2]: missing field \"answer_type\"");
    write("questions.json", "[]");
    assertUserError(run(), "questions.json: top level: expected an object, got an array");
  }

  @Test
  void multipleChoiceAnswerMustBeAChoice() throws IOException {
    questions.addProperty("task_type", "Multiple Choice");
    for (JsonElement q : questions.getAsJsonArray("questions")) {
      JsonArray choices = new JsonArray();
      choices.add("yes");
      choices.add("no");
      q.getAsJsonObject().add("multiple_choices", choices);
    }
    writeAll();
    assertUserError(run(), "answers are not one of their question's multiple_choices");
  }

  @Test
  void nonUtf8AndMalformedJsonAreErrorsNamingTheFile() throws IOException {
    Files.write(dir.resolve("annotations.json"), new byte[] {'{', (byte) 0xFF, '}'});
    assertUserError(run(), "not valid UTF-8", "annotations.json");
    write("annotations.json", "{\"annotations\": [");
    assertUserError(run(), "invalid JSON", "annotations.json");
  }
}
