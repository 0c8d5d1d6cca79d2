package dev.glimpse.eval.vqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class VqaAnswerNormalizerTest {

  /** Every distinct raw string of vqa_small through the official methods. */
  @Test
  void matchesOfficialNormalizationExamples() {
    VqaFixture f = new VqaFixture();
    for (JsonElement e : f.root.getAsJsonArray("normalization_examples")) {
      JsonObject x = e.getAsJsonObject();
      String input = x.get("input").getAsString();
      String stripped = VqaAnswerNormalizer.strip(input);
      assertEquals(x.get("stripped").getAsString(), stripped, input);
      String punct = VqaAnswerNormalizer.processPunctuation(stripped);
      assertEquals(x.get("after_processPunctuation").getAsString(), punct, input);
      assertEquals(
          x.get("after_processDigitArticle").getAsString(),
          VqaAnswerNormalizer.processDigitArticle(punct),
          input);
      assertEquals(
          x.get("after_processDigitArticle").getAsString(), VqaEvaluator.normalizeAnswer(input));
    }
  }

  @Test
  void quirksOfTheOfficialCode() {
    assertEquals(
        "im not sure", VqaAnswerNormalizer.normalize("Im not sure")); // key "Im" never matches
    assertEquals("don't know", VqaAnswerNormalizer.normalize("dont know"));
    assertEquals("11", VqaAnswerNormalizer.normalize("11"));
    assertEquals("eleven", VqaAnswerNormalizer.normalize("eleven")); // only none/zero/one..ten
    assertEquals("0", VqaAnswerNormalizer.normalize("none"));
    assertEquals("50%", VqaAnswerNormalizer.normalize("50%"));
    // a period is kept only before a digit, and at most 32 are removed
    assertEquals("2.5", VqaAnswerNormalizer.normalize("2.5"));
    assertEquals("x".repeat(33) + ".", VqaAnswerNormalizer.processPunctuation("x.".repeat(33)));
  }
}
