package dev.glimpse.data.synth;

import java.util.List;

/**
 * One synthetic VQA question with its ten annotator answers.
 *
 * @param questionId image id × 1000 + question number, as VQAv2 numbers them
 * @param imageId the image (its index in the split)
 * @param question lower case, ending with "?"
 * @param answer the true answer (the majority of {@code answers}; VQAv2's multiple_choice_answer)
 * @param questionType color, shape, count, position, relation, yes/no or scene_text
 * @param answerType VQAv2's answer type: "yes/no", "number" or "other"
 * @param answers the ten answers (see {@link HumanAnswers})
 */
public record VqaQuestion(
    long questionId,
    long imageId,
    String question,
    String answer,
    String questionType,
    String answerType,
    List<String> answers) {
  public VqaQuestion {
    answers = List.copyOf(answers);
  }
}
