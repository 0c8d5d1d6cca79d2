package dev.glimpse.data;

/**
 * What the official VQA evaluation needs of a question beside its text and answers: its ids, the
 * question type and the answer type (VQAv2's {@code question_type}, {@code answer_type}).
 *
 * @param questionId the question's id (unique in its split)
 * @param imageId the image's id
 * @param questionType e.g. "what color is the", "how many"
 * @param answerType "yes/no", "number" or "other"
 * @param answer the consensus ({@code multiple_choice_answer}), or null
 */
public record VqaInfo(long questionId, String imageId, String questionType, String answerType, String answer) {
  public static final Annotation<VqaInfo> KEY = Annotation.named("vqa");

  /**
   * The example's question info: its annotation, else the same fields from its source metadata (a
   * JSONL line's {@code question_id}, {@code image_id}, {@code question_type}, {@code answer_type}),
   * else the item's position, "unknown" and "other".
   */
  public static VqaInfo of(Example example, int position) {
    VqaInfo info = example.get(KEY);
    if (info != null) {
      return info;
    }
    Object id = example.metadata().get("question_id");
    return new VqaInfo(id instanceof Number n ? n.longValue() : position,
        String.valueOf(example.metadata().getOrDefault("image_id", example.id())),
        String.valueOf(example.metadata().getOrDefault("question_type", "unknown")),
        String.valueOf(example.metadata().getOrDefault("answer_type", "other")),
        example.metadata().get("multiple_choice_answer") instanceof String s ? s : null);
  }
}
