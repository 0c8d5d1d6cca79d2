package dev.glimpse.data.loaders;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.data.VqaInfo;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;

/**
 * VQAv2: a questions file ({@code v2_OpenEnded_mscoco_val2014_questions.json}: {@code {"data_subtype",
 * "questions": [{"question_id", "image_id", "question"}]}}), optionally its annotations file
 * ({@code v2_mscoco_val2014_annotations.json}: {@code {"annotations": [{"question_id", "answers":
 * [{"answer", ...} x 10], "multiple_choice_answer", "question_type", "answer_type"}]}}; absent for
 * test-dev) and the COCO image folder. One example per question: prompt = the question, targets =
 * the ten human answers (empty without annotations).
 *
 * <p>Image files are found by a printf pattern with one integer conversion for the image id. The
 * default is COCO's {@code COCO_<data_subtype>_%012d.jpg}; when that file does not exist, {@code
 * %012d.jpg} (COCO 2017 names), {@code <image_id>.jpg}, {@code .jpeg} and {@code .png} are tried.
 */
public final class Vqa2 implements Dataset {
  private record Entry(
      long questionId, long imageId, String question, List<String> answers, String multipleChoiceAnswer,
      String questionType, String answerType) {}

  private static final List<String> FALLBACK_PATTERNS = List.of("%012d.jpg", "%d.jpg", "%d.jpeg", "%d.png");

  private final String name;
  private final Path imageDir;
  private final String fileNamePattern;
  private final List<Entry> entries;
  private final boolean hasAnswers;

  private Vqa2(String name, Path imageDir, String fileNamePattern, List<Entry> entries, boolean hasAnswers) {
    this.name = name;
    this.imageDir = imageDir;
    this.fileNamePattern = fileNamePattern;
    this.entries = entries;
    this.hasAnswers = hasAnswers;
  }

  /** Questions, optional annotations (null for test-dev), image folder; default file-name pattern. */
  public static Vqa2 open(Path questions, Path annotations, Path imageDir) {
    return open(questions, annotations, imageDir, null);
  }

  /**
   * As {@link #open(Path, Path, Path)} with an explicit file-name pattern, e.g. {@code
   * "COCO_val2014_%012d.jpg"} or {@code "%d.png"}; null derives it from the questions file.
   */
  public static Vqa2 open(Path questions, Path annotations, Path imageDir, String fileNamePattern) {
    Loaders.requireDirectory(imageDir, "VQA image folder");
    if (fileNamePattern != null) {
      checkPattern(fileNamePattern);
    }
    Map<String, String> strings = new HashMap<>(); // the same few thousand answers, stored once
    List<Entry> entries = new ArrayList<>();
    Map<Long, Integer> byQuestion = new HashMap<>();
    AnnotationJson.Parsed parsed =
        AnnotationJson.read(
            questions,
            Map.of(
                "questions",
                q -> {
                  String where = "questions[" + entries.size() + "]";
                  long questionId = AnnotationJson.requireLong(q, "question_id", questions, where);
                  long imageId = AnnotationJson.requireLong(q, "image_id", questions, where);
                  String question = AnnotationJson.requireString(q, "question", questions, where);
                  if (byQuestion.put(questionId, entries.size()) != null) {
                    throw new GlimpseException(questions + ": question_id " + questionId + " is listed twice");
                  }
                  entries.add(new Entry(questionId, imageId, question, List.of(), null, null, null));
                }));
    if (!parsed.arraysSeen().contains("questions") || entries.isEmpty()) {
      throw new GlimpseException(questions + ": no \"questions\" listed (is this a VQA questions file?)");
    }
    String pattern = fileNamePattern;
    if (pattern == null) {
      JsonElement subtype = parsed.members().get("data_subtype");
      pattern = subtype != null && subtype.isJsonPrimitive() ? "COCO_" + subtype.getAsString() + "_%012d.jpg" : null;
    }
    if (annotations != null) {
      int[] position = {0};
      AnnotationJson.read(
          annotations,
          Map.of(
              "annotations",
              a -> {
                String where = "annotations[" + position[0]++ + "]";
                long questionId = AnnotationJson.requireLong(a, "question_id", annotations, where);
                Integer index = byQuestion.get(questionId);
                if (index == null) {
                  return; // an annotation for a question not in this questions file
                }
                Entry q = entries.get(index);
                entries.set(
                    index,
                    new Entry(
                        q.questionId(), q.imageId(), q.question(), answers(a, annotations, where, strings),
                        intern(strings, AnnotationJson.optString(a, "multiple_choice_answer")),
                        intern(strings, AnnotationJson.optString(a, "question_type")),
                        intern(strings, AnnotationJson.optString(a, "answer_type"))));
              }));
      long missing = entries.stream().filter(e -> e.answers().isEmpty()).count();
      if (missing > 0) {
        Entry first = entries.stream().filter(e -> e.answers().isEmpty()).findFirst().orElseThrow();
        throw new GlimpseException(annotations + ": " + missing + " of " + entries.size() + " questions in " + questions
            + " have no answers (first: question_id " + first.questionId()
            + "); do the two files belong to the same split?");
      }
    }
    return new Vqa2("vqa2/" + Loaders.stem(questions), imageDir, pattern, List.copyOf(entries), annotations != null);
  }

  private static List<String> answers(JsonObject annotation, Path file, String where, Map<String, String> strings) {
    JsonElement answers = annotation.get("answers");
    if (answers == null || !answers.isJsonArray() || answers.getAsJsonArray().isEmpty()) {
      throw new GlimpseException(file + ": " + where + " needs a non-empty \"answers\" array");
    }
    JsonArray array = answers.getAsJsonArray();
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonElement answer = array.get(i);
      String text =
          answer.isJsonObject()
              ? AnnotationJson.requireString(answer.getAsJsonObject(), "answer", file, where + ".answers[" + i + "]")
              : answer.isJsonPrimitive() ? answer.getAsString() : null;
      if (text == null) {
        throw new GlimpseException(file + ": " + where + ".answers[" + i + "] should be {\"answer\": ...}");
      }
      out.add(intern(strings, text));
    }
    return List.copyOf(out);
  }

  private static String intern(Map<String, String> strings, String s) {
    return s == null ? null : strings.computeIfAbsent(s, k -> k);
  }

  private static void checkPattern(String pattern) {
    try {
      if (String.format(pattern, 1L).equals(String.format(pattern, 2L))) {
        throw new GlimpseException("image file-name pattern '" + pattern
            + "' must contain the image id as an integer conversion, e.g. COCO_val2014_%012d.jpg");
      }
    } catch (IllegalFormatException e) {
      throw new GlimpseException("image file-name pattern '" + pattern
          + "' is not a valid format with one integer conversion (e.g. COCO_val2014_%012d.jpg): " + e.getMessage());
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int size() {
    return entries.size();
  }

  /** Whether answers were loaded (false for test-dev questions without annotations). */
  public boolean hasAnswers() {
    return hasAnswers;
  }

  @Override
  public Example get(int index) {
    Entry entry = entries.get(index);
    Path file = imageFile(entry.imageId());
    VqaInfo info = new VqaInfo(entry.questionId(), String.valueOf(entry.imageId()),
        entry.questionType() == null ? "unknown" : entry.questionType(),
        entry.answerType() == null ? "other" : entry.answerType(), entry.multipleChoiceAnswer());
    return new Example(String.valueOf(entry.questionId()), List.of(Loaders.readImage(file)), entry.question(),
        entry.answers(), Map.of()).with(VqaInfo.KEY, info);
  }

  /** The image file for an image id: the pattern's name if it exists, else the fallbacks. */
  public Path imageFile(long imageId) {
    List<String> tried = new ArrayList<>();
    List<String> patterns = new ArrayList<>();
    if (fileNamePattern != null) {
      patterns.add(fileNamePattern);
    }
    patterns.addAll(FALLBACK_PATTERNS);
    for (String pattern : patterns) {
      String fileName = String.format(pattern, imageId);
      Path file = imageDir.resolve(fileName);
      if (Files.isRegularFile(file)) {
        return file;
      }
      tried.add(fileName);
    }
    throw new SampleException("image not found for image_id " + imageId + ": " + imageDir.resolve(tried.get(0))
        + " (also tried " + String.join(", ", tried.subList(1, tried.size())) + ")");
  }
}
