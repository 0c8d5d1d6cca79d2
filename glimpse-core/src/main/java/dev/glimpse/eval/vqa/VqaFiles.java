package dev.glimpse.eval.vqa;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.eval.JsonInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the official VQA formats and checks them before scoring.
 *
 * <p>Questions: {@code {"questions": [{"question_id", ...}], "task_type"?}}; annotations: {@code
 * {"annotations": [{"question_id", "question_type", "answer_type", "answers": [{"answer",
 * "answer_confidence"?, "answer_id"?}]}]}}; results: {@code [{"question_id", "answer"}]}. The
 * annotated questions are scored, in annotation order, as the official code does.
 *
 * <p>Errors: not UTF-8 or not JSON; a missing or mistyped field; repeated question ids; an
 * annotation whose question is not in the questions file; a question with no human answers; a
 * result whose question is not in the questions file or has no annotation; two results for one
 * question; annotated questions without a result (unless {@code subset}); for a {@code "Multiple
 * Choice"} task, an answer that is not one of the question's {@code multiple_choices}. Warnings:
 * questions without annotation (not scored), empty predicted answers (scored, as officially), and
 * with {@code subset} the questions left out.
 */
public final class VqaFiles {

  /** Validated inputs, with warnings for the user. */
  public record Inputs(
      List<VqaQuestion> questions, Map<Long, String> predictions, List<String> warnings) {}

  private VqaFiles() {}

  public static Inputs load(
      Path questionsFile, Path annotationsFile, Path resultsFile, boolean subset) {
    List<String> warnings = new ArrayList<>();
    Map<Long, List<String>> choices = new LinkedHashMap<>();
    boolean multipleChoice = readQuestions(questionsFile, choices);
    Map<Long, VqaQuestion> annotated =
        readAnnotations(annotationsFile, choices.keySet(), questionsFile);
    Set<Long> unannotated = new LinkedHashSet<>(choices.keySet());
    unannotated.removeAll(annotated.keySet());
    if (!unannotated.isEmpty()) {
      warnings.add(
          questionsFile
              + ": "
              + unannotated.size()
              + " questions have no annotation in "
              + annotationsFile
              + " (ids "
              + JsonInput.firstFew(unannotated)
              + "); not scored");
    }
    Map<Long, String> predictions =
        readResults(
            resultsFile, choices, annotated, multipleChoice, questionsFile, annotationsFile);
    Set<Long> missing = new LinkedHashSet<>(annotated.keySet());
    missing.removeAll(predictions.keySet());
    if (!missing.isEmpty()) {
      if (!subset) {
        throw JsonInput.of(resultsFile)
            .error(
                "no answer for "
                    + missing.size()
                    + " of the "
                    + annotated.size()
                    + " annotated questions (ids "
                    + JsonInput.firstFew(missing)
                    + "); pass --subset to score only the answered questions");
      }
      warnings.add(
          "--subset: scoring the "
              + predictions.size()
              + " answered questions; "
              + missing.size()
              + " annotated questions have no answer (ids "
              + JsonInput.firstFew(missing)
              + ")");
      annotated.keySet().removeAll(missing);
    }
    List<Long> empty = new ArrayList<>();
    predictions.forEach(
        (id, answer) -> {
          if (VqaAnswerNormalizer.strip(answer).isEmpty()) {
            empty.add(id);
          }
        });
    if (!empty.isEmpty()) {
      warnings.add(
          resultsFile
              + ": "
              + empty.size()
              + " empty answers (questions "
              + JsonInput.firstFew(empty)
              + "); scored as given, as the official evaluation does");
    }
    return new Inputs(new ArrayList<>(annotated.values()), predictions, warnings);
  }

  /**
   * Question ids (with their multiple choices, if any); returns whether the task is multiple
   * choice.
   */
  private static boolean readQuestions(Path file, Map<Long, List<String>> choices) {
    JsonInput in = JsonInput.of(file);
    JsonObject root = in.object(in.parse(), "top level");
    boolean multipleChoice =
        "Multiple Choice".equals(in.optionalString(root, "task_type", "top level"));
    JsonArray questions = in.array(in.field(root, "questions", "top level"), "questions");
    for (int i = 0; i < questions.size(); i++) {
      String where = "questions[" + i + "]";
      JsonObject q = in.object(questions.get(i), where);
      long id = in.longId(q, "question_id", where);
      List<String> options = new ArrayList<>();
      if (multipleChoice) {
        JsonArray list =
            in.array(in.field(q, "multiple_choices", where), where + ".multiple_choices");
        for (int c = 0; c < list.size(); c++) {
          if (!list.get(c).isJsonPrimitive() || !list.get(c).getAsJsonPrimitive().isString()) {
            throw in.error(where + ".multiple_choices[" + c + "]", "expected a string");
          }
          options.add(list.get(c).getAsString());
        }
      }
      if (choices.put(id, options) != null) {
        throw in.error(where + ".question_id", "question id " + id + " appears more than once");
      }
    }
    return multipleChoice;
  }

  private static Map<Long, VqaQuestion> readAnnotations(
      Path file, Set<Long> questionIds, Path questionsFile) {
    JsonInput in = JsonInput.of(file);
    JsonObject root = in.object(in.parse(), "top level");
    JsonArray annotations = in.array(in.field(root, "annotations", "top level"), "annotations");
    Map<Long, VqaQuestion> out = new LinkedHashMap<>();
    Set<Long> unknown = new LinkedHashSet<>();
    for (int i = 0; i < annotations.size(); i++) {
      String where = "annotations[" + i + "]";
      JsonObject a = in.object(annotations.get(i), where);
      long id = in.longId(a, "question_id", where);
      JsonArray answers = in.array(in.field(a, "answers", where), where + ".answers");
      if (answers.isEmpty()) {
        throw in.error(where + ".answers", "question " + id + " has no human answers");
      }
      List<VqaQuestion.Answer> list = new ArrayList<>();
      for (int j = 0; j < answers.size(); j++) {
        String at = where + ".answers[" + j + "]";
        JsonObject ans = in.object(answers.get(j), at);
        Long answerId = ans.has("answer_id") ? in.longId(ans, "answer_id", at) : null;
        list.add(
            new VqaQuestion.Answer(
                in.string(ans, "answer", at),
                in.optionalString(ans, "answer_confidence", at),
                answerId));
      }
      VqaQuestion q =
          new VqaQuestion(
              id, in.string(a, "question_type", where), in.string(a, "answer_type", where), list);
      if (out.put(id, q) != null) {
        throw in.error(
            where + ".question_id", "question id " + id + " is annotated more than once");
      }
      if (!questionIds.contains(id)) {
        unknown.add(id);
      }
    }
    if (!unknown.isEmpty()) {
      throw in.error(
          unknown.size()
              + " annotated question ids are not in "
              + questionsFile
              + " (ids "
              + JsonInput.firstFew(unknown)
              + "); are the files from the same split?");
    }
    return out;
  }

  private static Map<Long, String> readResults(
      Path file,
      Map<Long, List<String>> choices,
      Map<Long, VqaQuestion> annotated,
      boolean multipleChoice,
      Path questionsFile,
      Path annotationsFile) {
    JsonInput in = JsonInput.of(file);
    JsonArray results = in.array(in.parse(), "top level");
    if (results.isEmpty()) {
      throw in.error("no results (an empty array)");
    }
    Map<Long, String> predictions = new LinkedHashMap<>();
    Set<Long> notQuestions = new LinkedHashSet<>();
    Set<Long> notAnnotated = new LinkedHashSet<>();
    Set<Long> duplicates = new LinkedHashSet<>();
    Set<Long> notAChoice = new LinkedHashSet<>();
    for (int i = 0; i < results.size(); i++) {
      String where = "[" + i + "]";
      JsonElement e = results.get(i);
      JsonObject r = in.object(e, where);
      long id = in.longId(r, "question_id", where);
      String answer = in.string(r, "answer", where);
      if (!choices.containsKey(id)) {
        notQuestions.add(id);
      } else if (!annotated.containsKey(id)) {
        notAnnotated.add(id);
      } else if (predictions.put(id, answer) != null) {
        duplicates.add(id);
      } else if (multipleChoice && !choices.get(id).contains(answer)) {
        notAChoice.add(id);
      }
    }
    if (!notQuestions.isEmpty()) {
      throw in.error(
          notQuestions.size()
              + " result question ids are not in "
              + questionsFile
              + " (ids "
              + JsonInput.firstFew(notQuestions)
              + ")");
    }
    if (!notAnnotated.isEmpty()) {
      throw in.error(
          notAnnotated.size()
              + " result question ids have no annotation in "
              + annotationsFile
              + " (ids "
              + JsonInput.firstFew(notAnnotated)
              + ")");
    }
    if (!duplicates.isEmpty()) {
      throw in.error(
          duplicates.size()
              + " questions have more than one answer (ids "
              + JsonInput.firstFew(duplicates)
              + ")");
    }
    if (!notAChoice.isEmpty()) {
      throw in.error(
          notAChoice.size()
              + " answers are not one of their question's multiple_choices (ids "
              + JsonInput.firstFew(notAChoice)
              + ")");
    }
    return predictions;
  }
}
