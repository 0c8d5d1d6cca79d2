package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import dev.glimpse.data.VqaInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticVqaTest {
  private static final SceneGenerator GENERATOR = new SceneGenerator(SceneConfig.defaults());

  @Test
  void questionsAreDeterministicWithTenAnswersAndAClearMajority() {
    SyntheticVqa vqa = new SyntheticVqa(GENERATOR, Split.VAL, 200);
    SyntheticVqa again = new SyntheticVqa(new SceneGenerator(SceneConfig.defaults()), Split.VAL, 200);
    Set<String> types = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      List<VqaQuestion> questions = vqa.questions(i);
      assertEquals(again.questions(i), questions);
      assertEquals(3, questions.size());
      assertEquals(3, questions.stream().map(VqaQuestion::questionType).distinct().count());
      for (VqaQuestion q : questions) {
        types.add(q.questionType());
        assertEquals(10, q.answers().size());
        assertTrue(q.answers().stream().filter(q.answer()::equals).count() >= 6, q.toString());
        assertTrue(q.question().endsWith("?") && q.question().equals(q.question().toLowerCase(java.util.Locale.ROOT)));
        assertEquals(i, q.imageId());
        assertTrue(List.of("yes/no", "number", "other").contains(q.answerType()));
        if (q.answerType().equals("yes/no")) {
          assertTrue(q.answer().equals("yes") || q.answer().equals("no"));
        }
      }
      assertEquals(SyntheticVqa.isTextImage(i), vqa.imageScene(i) instanceof TextScene);
    }
    assertEquals(Set.of("color", "shape", "count", "position", "relation", "yes/no", "scene_text"), types);
  }

  @Test
  void answersAgreeWithTheScene() {
    SyntheticVqa vqa = new SyntheticVqa(GENERATOR, Split.TRAIN, 100);
    for (int i = 0; i < 100; i++) {
      if (!(vqa.imageScene(i) instanceof Scene scene)) {
        continue;
      }
      for (VqaQuestion q : vqa.questions(i)) {
        switch (q.questionType()) {
          case "color" -> assertTrue(scene.objects().stream().anyMatch(o ->
              q.question().equals("what color is the " + o.shape().word() + "?") && o.color().word().equals(q.answer())));
          case "shape" -> assertTrue(scene.objects().stream().anyMatch(o ->
              q.question().equals("what shape is the " + o.color().word() + " object?")
                  && o.shape().word().equals(q.answer())));
          case "position" -> assertEquals(scene.objects().get(0).position().word(), q.answer());
          case "count" -> {
            if (q.question().equals("how many shapes are there?")) {
              assertEquals(Integer.toString(scene.count()), q.answer());
            }
          }
          default -> { }
        }
      }
    }
  }

  @Test
  void examplesCarryPromptAnswersAndTypes() {
    SyntheticVqa vqa = new SyntheticVqa(GENERATOR, Split.TRAIN, 10);
    assertEquals(30, vqa.size());
    Example e = vqa.get(7);
    VqaQuestion q = vqa.questions(2).get(1);
    assertEquals(q.question(), e.prompt());
    assertEquals(q.answers(), e.targets());
    VqaInfo info = e.get(VqaInfo.KEY);
    assertEquals(q.questionType(), info.questionType());
    assertEquals(q.answerType(), info.answerType());
    assertEquals(q.answer(), info.answer());
    assertEquals(2001L, info.questionId());
  }
}
