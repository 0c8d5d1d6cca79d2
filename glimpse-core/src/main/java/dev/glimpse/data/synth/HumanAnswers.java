package dev.glimpse.data.synth;

import java.util.ArrayList;
import java.util.List;

/**
 * Ten simulated annotator answers per question, as in VQAv2: the true answer is given by 6–10 of
 * them (10 in 35% of questions, 9 in 25%, 8 in 20%, 7 in 12%, 6 in 8%), the others by plausible
 * confusions (a neighbouring color, a count off by one, the opposite yes/no, a misread word). The
 * true answer is always the clear majority, so it scores 1.0 under the VQA accuracy min(#/3, 1).
 */
public final class HumanAnswers {
  public static final int ANSWERS = 10;
  private static final double[] AGREEING_WEIGHTS = {0.08, 0.12, 0.20, 0.25, 0.35}; // 6..10 agree

  private HumanAnswers() {}

  /** Ten answers in annotator order; {@code confusions} may be empty (then all ten agree). */
  public static List<String> draw(String truth, List<String> confusions, SceneRandom random) {
    int agreeing = 6 + random.weighted(AGREEING_WEIGHTS);
    if (confusions.isEmpty()) {
      agreeing = ANSWERS;
    }
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < ANSWERS; i++) {
      answers.add(i < agreeing ? truth : random.pick(confusions));
    }
    // Shuffle so the disagreeing annotators are not always the last ones.
    for (int i = answers.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String swap = answers.get(i);
      answers.set(i, answers.get(j));
      answers.set(j, swap);
    }
    return answers;
  }

  /** Colors a person might say instead of {@code color}. */
  public static List<String> colorConfusions(ColorName color) {
    return switch (color) {
      case RED -> List.of("orange", "pink");
      case ORANGE -> List.of("red", "yellow");
      case YELLOW -> List.of("orange", "gold");
      case GREEN -> List.of("blue", "lime");
      case BLUE -> List.of("purple", "navy");
      case PURPLE -> List.of("blue", "violet");
      case WHITE -> List.of("gray", "silver");
      case BLACK -> List.of("gray", "dark");
    };
  }

  public static List<String> shapeConfusions(ShapeKind shape) {
    return switch (shape) {
      case CIRCLE -> List.of("ball", "oval");
      case SQUARE -> List.of("rectangle", "box");
      case TRIANGLE -> List.of("pyramid", "star");
      case STAR -> List.of("triangle", "flower");
    };
  }

  public static List<String> countConfusions(int count) {
    return count <= 1 ? List.of("2") : List.of(Integer.toString(count - 1), Integer.toString(count + 1));
  }

  public static List<String> yesNoConfusions(String truth) {
    return List.of(truth.equals("yes") ? "no" : "yes");
  }

  /** Misreadings of a word: the last letter dropped, the second and third swapped, or no answer. */
  public static List<String> wordConfusions(String word) {
    List<String> out = new ArrayList<>();
    if (word.length() > 3) {
      out.add(word.substring(0, word.length() - 1));
      out.add(word.substring(0, 1) + word.charAt(2) + word.charAt(1) + word.substring(3));
    }
    out.add("unanswerable");
    return out;
  }
}
