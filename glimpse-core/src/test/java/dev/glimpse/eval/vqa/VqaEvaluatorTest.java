package dev.glimpse.eval.vqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VqaEvaluatorTest {
  private static final double UNROUNDED_TOLERANCE = 1e-9;

  @Test
  void perQuestionAccuracyMatchesOfficial() {
    VqaFixture f = new VqaFixture();
    VqaResult result = VqaEvaluator.evaluate(f.questions, f.predictions);
    for (JsonObject q : f.questionRecords) {
      long id = q.get("question_id").getAsLong();
      VqaResult.Accuracy acc = result.perQuestion().get(id);
      assertEquals(q.get("expected_accuracy").getAsDouble(), acc.percent(), 0.0, "question " + id);
      assertEquals(
          q.get("expected_accuracy_unrounded").getAsDouble(), acc.fraction(), UNROUNDED_TOLERANCE);
    }
  }

  @Test
  void groupsMatchOfficialExactly() {
    VqaFixture f = new VqaFixture();
    VqaResult result = VqaEvaluator.evaluate(f.questions, f.predictions);
    JsonObject accuracy = f.expected().getAsJsonObject("accuracy");
    assertEquals(accuracy.get("overall").getAsDouble(), result.overall().percent(), 0.0);
    assertEquals(
        f.expected().get("overall_unrounded_derived").getAsDouble(),
        100 * result.overall().fraction(),
        UNROUNDED_TOLERANCE);
    assertGroups(
        accuracy.getAsJsonObject("perAnswerType"),
        f.expected().getAsJsonObject("perAnswerType_unrounded_derived"),
        result.perAnswerType());
    assertGroups(
        accuracy.getAsJsonObject("perQuestionType"),
        f.expected().getAsJsonObject("perQuestionType_unrounded_derived"),
        result.perQuestionType());
  }

  private static void assertGroups(
      JsonObject rounded, JsonObject unrounded, Map<String, VqaResult.Accuracy> actual) {
    assertEquals(rounded.keySet(), actual.keySet());
    for (String type : rounded.keySet()) {
      assertEquals(rounded.get(type).getAsDouble(), actual.get(type).percent(), 0.0, type);
      assertEquals(
          unrounded.get(type).getAsDouble(),
          100 * actual.get(type).fraction(),
          UNROUNDED_TOLERANCE,
          type);
    }
  }

  @Test
  void leaveOneOutGivesThirtyPercentSteps() {
    List<String> answers =
        List.of(
            "blue", "blue", "blue", "green", "green", "green", "green", "green", "green", "green");
    VqaQuestion q = VqaQuestion.of(1, "what color", "other", answers);
    assertEquals(0.9, VqaEvaluator.accuracy(q, "blue"), 1e-15);
    assertEquals(1.0, VqaEvaluator.accuracy(q, "Green"));
    assertEquals(0.0, VqaEvaluator.accuracy(q, "red"));
  }

  @Test
  void roundingIsPython2HalfAwayFromZeroOnTheBinaryValue() {
    assertEquals(0.13, VqaEvaluator.roundPython2(0.125)); // 0.125 is exact: ties away from zero
    assertEquals(2.68, VqaEvaluator.roundPython2(2.675 + 1e-12));
    assertEquals(1.0, VqaEvaluator.roundPython2(1.005)); // 1.00499999... in binary
    assertEquals(2.67, VqaEvaluator.roundPython2(2.675)); // 2.675 is 2.67499999... in binary
  }

  @Test
  void missingPredictionIsRejected() {
    VqaQuestion q = VqaQuestion.of(1, "what", "other", List.of("a"));
    assertThrows(IllegalArgumentException.class, () -> VqaEvaluator.evaluate(List.of(q), Map.of()));
  }
}
