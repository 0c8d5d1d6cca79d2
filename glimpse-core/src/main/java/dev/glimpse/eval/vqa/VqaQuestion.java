package dev.glimpse.eval.vqa;

import java.util.ArrayList;
import java.util.List;

/**
 * One annotated question of the official VQA format: its type labels and the human answers.
 *
 * @param answers the (usually 10) human answers, raw
 */
public record VqaQuestion(
    long questionId, String questionType, String answerType, List<Answer> answers) {

  /**
   * One human answer. The official code removes an answer from its leave-one-out set by dict
   * equality, so all three fields matter; official data numbers the answers 1..10.
   *
   * @param confidence {@code answer_confidence}, or null when absent
   * @param answerId {@code answer_id}, or null when absent
   */
  public record Answer(String answer, String confidence, Long answerId) {}

  public VqaQuestion {
    answers = List.copyOf(answers);
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("question " + questionId + " has no answers");
    }
  }

  /** Answers given as plain strings, numbered 1..n (as in the official annotation files). */
  public static VqaQuestion of(
      long questionId, String questionType, String answerType, List<String> answers) {
    List<Answer> list = new ArrayList<>(answers.size());
    for (int i = 0; i < answers.size(); i++) {
      list.add(new Answer(answers.get(i), null, (long) (i + 1)));
    }
    return new VqaQuestion(questionId, questionType, answerType, list);
  }
}
