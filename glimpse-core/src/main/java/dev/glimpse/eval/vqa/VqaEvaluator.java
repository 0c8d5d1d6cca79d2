package dev.glimpse.eval.vqa;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The official VQA accuracy ({@code VQAEval.evaluate}, GT-Vision-Lab/VQA) in-process.
 *
 * <p>Per question: all answers are stripped; if the stripped human answers are not all identical,
 * the human answers and the prediction are normalized ({@link VqaAnswerNormalizer}), otherwise
 * nothing is (so {@code "Yes"} scores 0 against ten {@code "yes"}). The accuracy is the mean over
 * the human answers {@code g} of {@code min(1, #(other answers equal to the prediction) / 3)}, i.e.
 * 0, 30, 60, 90 or 100 percent with 10 answers. Groups average the per-question values.
 *
 * <pre>{@code
 * VqaResult r = VqaEvaluator.evaluate(questions, predictionsByQuestionId);
 * double percent = r.overall().percent();
 * }</pre>
 */
public final class VqaEvaluator {
  private VqaEvaluator() {}

  /** The normalization for exact-match scoring ({@link VqaAnswerNormalizer#normalize}). */
  public static String normalizeAnswer(String answer) {
    return VqaAnswerNormalizer.normalize(answer);
  }

  /**
   * @param questions the annotated questions, in the order to report them
   * @param predictions the predicted answer (raw) for every question id
   * @throws IllegalArgumentException when a question has no prediction or ids repeat
   */
  public static VqaResult evaluate(List<VqaQuestion> questions, Map<Long, String> predictions) {
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("no questions to score");
    }
    Map<Long, VqaResult.Accuracy> perQuestion = new LinkedHashMap<>();
    Map<String, List<Double>> byAnswerType = new LinkedHashMap<>();
    Map<String, List<Double>> byQuestionType = new LinkedHashMap<>();
    List<Double> all = new ArrayList<>(questions.size());
    for (VqaQuestion q : questions) {
      String prediction = predictions.get(q.questionId());
      if (prediction == null) {
        throw new IllegalArgumentException("no prediction for question " + q.questionId());
      }
      double accuracy = accuracy(q, prediction);
      if (perQuestion.put(q.questionId(), group(List.of(accuracy))) != null) {
        throw new IllegalArgumentException("question " + q.questionId() + " appears twice");
      }
      all.add(accuracy);
      byAnswerType.computeIfAbsent(q.answerType(), k -> new ArrayList<>()).add(accuracy);
      byQuestionType.computeIfAbsent(q.questionType(), k -> new ArrayList<>()).add(accuracy);
    }
    return new VqaResult(group(all), groups(byAnswerType), groups(byQuestionType), perQuestion);
  }

  /** Accuracy of one prediction in [0, 1], exactly as the official per-question value. */
  public static double accuracy(VqaQuestion question, String prediction) {
    List<VqaQuestion.Answer> answers = new ArrayList<>(question.answers().size());
    Set<String> distinct = new HashSet<>();
    for (VqaQuestion.Answer a : question.answers()) {
      String stripped = VqaAnswerNormalizer.strip(a.answer());
      answers.add(new VqaQuestion.Answer(stripped, a.confidence(), a.answerId()));
      distinct.add(stripped);
    }
    String predicted = VqaAnswerNormalizer.strip(prediction);
    if (distinct.size() > 1) {
      answers.replaceAll(
          a ->
              new VqaQuestion.Answer(
                  VqaAnswerNormalizer.normalize(a.answer()), a.confidence(), a.answerId()));
      predicted = VqaAnswerNormalizer.normalize(predicted);
    }
    double sum = 0;
    for (VqaQuestion.Answer left : answers) {
      int matching = 0;
      for (VqaQuestion.Answer other : answers) {
        // The official leave-one-out drops every answer equal (as a dict) to the left-out one.
        if (!other.equals(left) && other.answer().equals(predicted)) {
          matching++;
        }
      }
      sum += Math.min(1, matching / 3.0);
    }
    return sum / answers.size();
  }

  private static Map<String, VqaResult.Accuracy> groups(Map<String, List<Double>> byType) {
    Map<String, VqaResult.Accuracy> out = new LinkedHashMap<>();
    byType.forEach((type, values) -> out.put(type, group(values)));
    return out;
  }

  /** {@code round(100 * float(sum(values)) / len(values), 2)} and the unrounded mean. */
  private static VqaResult.Accuracy group(List<Double> values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double percent = 100 * sum / values.size();
    return new VqaResult.Accuracy(roundPython2(percent), sum / values.size());
  }

  /** Python 2 {@code round(x, 2)}: half away from zero on the exact binary value. */
  static double roundPython2(double x) {
    return new BigDecimal(x).setScale(2, RoundingMode.HALF_UP).doubleValue();
  }
}
