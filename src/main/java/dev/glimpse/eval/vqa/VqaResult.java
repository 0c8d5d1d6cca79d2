package dev.glimpse.eval.vqa;

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
}
