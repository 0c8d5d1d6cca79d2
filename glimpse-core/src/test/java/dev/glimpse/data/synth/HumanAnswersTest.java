package dev.glimpse.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HumanAnswersTest {
  @Test
  void tenAnswersWithTheTruthInTheMajorityAndSomeDisagreement() {
    SceneRandom random = new SceneRandom(11);
    int unanimous = 0;
    for (int i = 0; i < 1000; i++) {
      List<String> answers = HumanAnswers.draw("red", HumanAnswers.colorConfusions(ColorName.RED), random);
      assertEquals(10, answers.size());
      long agreeing = answers.stream().filter("red"::equals).count();
      assertTrue(agreeing >= 6, answers.toString());
      assertTrue(answers.stream().allMatch(a -> a.equals("red") || a.equals("orange") || a.equals("pink")));
      unanimous += agreeing == 10 ? 1 : 0;
    }
    assertTrue(unanimous > 250 && unanimous < 450, "unanimous: " + unanimous);
  }

  @Test
  void withoutConfusionsEveryoneAgrees() {
    assertEquals(List.of("3", "3", "3", "3", "3", "3", "3", "3", "3", "3"),
        HumanAnswers.draw("3", List.of(), new SceneRandom(1)));
    assertEquals(List.of("ope", "oepn", "unanswerable"), HumanAnswers.wordConfusions("open").subList(0, 3));
  }
}
