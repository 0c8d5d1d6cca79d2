package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.data.VqaInfo;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Vqa2Test {
  @TempDir Path dir;
  Path images;
  Path questions;
  Path annotations;

  private static String answers(String... texts) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      out.add("{\"answer\": \"" + texts[i] + "\", \"answer_confidence\": \"yes\", \"answer_id\": " + (i + 1) + "}");
    }
    return "[" + String.join(", ", out) + "]";
  }

  @BeforeEach
  void writeFixture() {
    images = dir.resolve("val2014");
    TestFiles.write(images.resolve("COCO_val2014_000000000042.jpg"), TestFiles.jpeg(32, 32, Color.GREEN));
    TestFiles.write(images.resolve("7.png"), TestFiles.png(8, 8, Color.WHITE)); // plain-name fallback
    TestFiles.write(images.resolve("COCO_val2014_000000000013.jpg"), TestFiles.corruptPng());
    questions =
        TestFiles.write(
            dir.resolve("v2_OpenEnded_mscoco_val2014_questions.json"),
            """
            {"info": {}, "task_type": "Open-Ended", "data_type": "mscoco", "data_subtype": "val2014",
             "questions": [
               {"image_id": 42, "question": "What color is it?", "question_id": 420},
               {"image_id": 42, "question": "Is it square?", "question_id": 421},
               {"image_id": 7, "question": "Is it white?", "question_id": 70},
               {"image_id": 13, "question": "Broken?", "question_id": 130},
               {"image_id": 99, "question": "Missing?", "question_id": 990}]}
            """);
    String ten = answers("green", "green", "green", "lime", "green", "green", "green", "green", "green", "green");
    String yes = answers("yes", "yes", "yes", "yes", "yes", "yes", "no", "yes", "yes", "yes");
    annotations =
        TestFiles.write(
            dir.resolve("v2_mscoco_val2014_annotations.json"),
            "{\"annotations\": ["
                + "{\"question_id\": 420, \"image_id\": 42, \"question_type\": \"what color is the\", \"answer_type\": \"other\", \"multiple_choice_answer\": \"green\", \"answers\": " + ten + "},"
                + "{\"question_id\": 421, \"image_id\": 42, \"question_type\": \"is it\", \"answer_type\": \"yes/no\", \"multiple_choice_answer\": \"yes\", \"answers\": " + yes + "},"
                + "{\"question_id\": 70, \"image_id\": 7, \"question_type\": \"is it\", \"answer_type\": \"yes/no\", \"multiple_choice_answer\": \"yes\", \"answers\": " + yes + "},"
                + "{\"question_id\": 130, \"image_id\": 13, \"question_type\": \"none of the above\", \"answer_type\": \"yes/no\", \"multiple_choice_answer\": \"no\", \"answers\": " + yes + "},"
                + "{\"question_id\": 990, \"image_id\": 99, \"question_type\": \"none of the above\", \"answer_type\": \"yes/no\", \"multiple_choice_answer\": \"no\", \"answers\": " + yes + "},"
                + "{\"question_id\": 5555, \"image_id\": 1, \"question_type\": \"x\", \"answer_type\": \"other\", \"multiple_choice_answer\": \"x\", \"answers\": " + yes + "}"
                + "]}");
  }

  @Test
  void questionsBecomePromptsAndTheTenAnswersTargets() {
    Vqa2 vqa = Vqa2.open(questions, annotations, images);
    assertEquals(5, vqa.size());
    assertTrue(vqa.hasAnswers());
    Example e = vqa.get(0);
    assertEquals("420", e.id());
    assertEquals("What color is it?", e.prompt());
    assertEquals(10, e.targets().size());
    assertEquals("lime", e.targets().get(3));
    VqaInfo info = e.get(VqaInfo.KEY);
    assertEquals(420L, info.questionId());
    assertEquals("42", info.imageId());
    assertEquals("what color is the", info.questionType());
    assertEquals("other", info.answerType());
    assertEquals("green", info.answer());
    assertEquals(32, e.image().getWidth());
    assertEquals(8, vqa.get(2).image().getWidth(), "7.png found by the plain-name fallback");
  }

  @Test
  void withoutAnnotationsTargetsAreEmpty() {
    Vqa2 testDev = Vqa2.open(questions, null, images);
    assertFalse(testDev.hasAnswers());
    Example e = testDev.get(1);
    assertEquals("Is it square?", e.prompt());
    assertEquals(List.of(), e.targets());
    assertNull(e.get(VqaInfo.KEY).answer(), "no annotations: no consensus answer");
    assertEquals("unknown", e.get(VqaInfo.KEY).questionType());
  }

  @Test
  void missingAndCorruptImagesThrowNamingTheFile() {
    Vqa2 vqa = Vqa2.open(questions, annotations, images);
    SampleException missing = assertThrows(SampleException.class, () -> vqa.get(4));
    assertTrue(missing.getMessage().contains("COCO_val2014_000000000099.jpg"), missing.getMessage());
    assertTrue(missing.getMessage().contains("99.png"), "lists the fallbacks: " + missing.getMessage());
    SampleException corrupt = assertThrows(SampleException.class, () -> vqa.get(3));
    assertTrue(corrupt.getMessage().contains("COCO_val2014_000000000013.jpg"), corrupt.getMessage());
    SkippingDataset training = new SkippingDataset(vqa, new SkipLog("vqa", w -> {}));
    List<String> ids = new ArrayList<>();
    training.iterator(new int[] {0, 1, 2, 3, 4}).forEachRemaining(x -> ids.add(x.id()));
    assertEquals(List.of("420", "421", "70"), ids);
    assertEquals(2, training.skippedCount());
  }

  @Test
  void anExplicitPatternIsUsed() {
    TestFiles.write(images.resolve("img-42.png"), TestFiles.png(5, 5, Color.BLACK));
    Vqa2 vqa = Vqa2.open(questions, null, images, "img-%d.png");
    assertEquals(5, vqa.get(0).image().getWidth());
    assertThrows(GlimpseException.class, () -> Vqa2.open(questions, null, images, "no-number.jpg"));
    assertThrows(GlimpseException.class, () -> Vqa2.open(questions, null, images, "bad-%q.jpg"));
  }

  @Test
  void malformedOrMismatchedAnnotationFilesAreErrorsNamingTheFile() {
    Path truncated = TestFiles.write(dir.resolve("q.json"), "{\"questions\": [{\"image_id\": 42, \"question\": ");
    GlimpseException e = assertThrows(GlimpseException.class, () -> Vqa2.open(truncated, null, images));
    assertTrue(e.getMessage().contains("q.json"), e.getMessage());

    Path otherSplit =
        TestFiles.write(
            dir.resolve("train_annotations.json"),
            "{\"annotations\": [{\"question_id\": 1, \"image_id\": 1, \"answers\": " + answers("a") + "}]}");
    e = assertThrows(GlimpseException.class, () -> Vqa2.open(questions, otherSplit, images));
    assertTrue(e.getMessage().contains("5 of 5 questions") && e.getMessage().contains("same split"), e.getMessage());

    Path noAnswers =
        TestFiles.write(dir.resolve("a.json"), "{\"annotations\": [{\"question_id\": 420, \"image_id\": 42}]}");
    e = assertThrows(GlimpseException.class, () -> Vqa2.open(questions, noAnswers, images));
    assertTrue(e.getMessage().contains("a.json") && e.getMessage().contains("answers"), e.getMessage());
  }
}
