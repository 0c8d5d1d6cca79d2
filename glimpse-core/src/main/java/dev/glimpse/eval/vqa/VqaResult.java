package dev.glimpse.eval.vqa;

import com.google.gson.JsonObject;
import java.util.Map;

/**
 * VQA accuracy, grouped as the official {@code VQAEval.accuracy} groups it (maps keep the order in
 * which types first occur).
 */
public record VqaResult(
    Accuracy overall,
    Map<String, Accuracy> perAnswerType,
    Map<String, Accuracy> perQuestionType,
    Map<Long, Accuracy> perQuestion) {

  /**
   * @param percent what the official tool reports: {@code round(100 * mean, 2)} with Python 2
   *     rounding (half away from zero on the exact binary value)
   * @param fraction the unrounded mean accuracy in [0, 1]
   */
  public record Accuracy(double percent, double fraction) {}

  /**
   * The official {@code accuracy} keys ({@code overall}, {@code perAnswerType}, {@code
   * perQuestionType}, in percent rounded to 2 decimals), the same as unrounded fractions under
   * {@code unrounded}, {@code questions}, and with {@code includePerQuestion} the official {@code
   * evalQA} (question id to percent) under {@code per_question}.
   */
  public JsonObject toJson(boolean includePerQuestion) {
    JsonObject out = new JsonObject();
    out.addProperty("overall", overall.percent());
    out.add("perAnswerType", percents(perAnswerType));
    out.add("perQuestionType", percents(perQuestionType));
    JsonObject unrounded = new JsonObject();
    unrounded.addProperty("overall", overall.fraction());
    unrounded.add("perAnswerType", fractions(perAnswerType));
    unrounded.add("perQuestionType", fractions(perQuestionType));
    out.add("unrounded", unrounded);
    out.addProperty("questions", perQuestion.size());
    if (includePerQuestion) {
      JsonObject evalQa = new JsonObject();
      perQuestion.forEach((id, acc) -> evalQa.addProperty(Long.toString(id), acc.percent()));
      out.add("per_question", evalQa);
    }
    return out;
  }

  private static JsonObject percents(Map<String, Accuracy> groups) {
    JsonObject o = new JsonObject();
    groups.forEach((k, v) -> o.addProperty(k, v.percent()));
    return o;
  }

  private static JsonObject fractions(Map<String, Accuracy> groups) {
    JsonObject o = new JsonObject();
    groups.forEach((k, v) -> o.addProperty(k, v.fraction()));
    return o;
  }
}
