package dev.glimpse.data.synth;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.VqaInfo;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Visual question answering on synthetic images, VQAv2-style: {@code questionsPerImage} questions
 * per image, each with ten annotator answers. Image {@code i} is captioning scene {@code i} of the
 * split ({@link SceneGenerator#scene}), except every fifth image ({@code i % 5 == 4}), which is
 * scene-text image {@code i} ({@link SceneTextGenerator}).
 *
 * <p>Question types (one image never gets two of the same type):
 *
 * <ul>
 *   <li>color: "what color is the circle?" (a shape that occurs once) / "what color is the sign?";
 *   <li>shape: "what shape is the red object?" (a color that occurs once);
 *   <li>count: "how many shapes are there?", "how many red shapes are there?" (answer "0"–"3");
 *   <li>position (one object): "where is the red circle?" → left, right, top, bottom, center;
 *   <li>relation (two objects): "is the red circle to the left of the blue square?" → yes/no, half
 *       of them true;
 *   <li>yes/no: "is there a red circle?" (half present, half absent) / "is the sign red?";
 *   <li>scene_text: {@value SyntheticSceneText#QUESTION} → the word.
 * </ul>
 *
 * Example: prompt = question, targets = the ten answers; annotations: the question's {@link VqaInfo}
 * and its {@link Scene} or {@link TextScene}.
 */
public final class SyntheticVqa implements Dataset {
  public static final String TASK = "vqa";
  public static final int DEFAULT_QUESTIONS_PER_IMAGE = 3;

  private final SceneGenerator generator;
  private final SceneTextGenerator textGenerator;
  private final Split split;
  private final int images;
  private final int questionsPerImage;

  public SyntheticVqa(SceneGenerator generator, Split split, int images) {
    this(generator, split, images, DEFAULT_QUESTIONS_PER_IMAGE);
  }

  public SyntheticVqa(SceneGenerator generator, Split split, int images, int questionsPerImage) {
    if (generator == null || split == null) {
      throw new IllegalArgumentException("generator and split must be set");
    }
    if (images < 0) {
      throw new IllegalArgumentException("images must be non-negative: " + images);
    }
    if (questionsPerImage < 1 || questionsPerImage > 3) {
      throw new IllegalArgumentException("questionsPerImage must be in 1..3: " + questionsPerImage);
    }
    this.generator = generator;
    this.textGenerator = new SceneTextGenerator(generator.config());
    this.split = split;
    this.images = images;
    this.questionsPerImage = questionsPerImage;
  }

  @Override
  public String name() {
    return "synthetic-vqa/" + split.id();
  }

  @Override
  public int size() {
    return images * questionsPerImage;
  }

  public int imageCount() {
    return images;
  }

  public int questionsPerImage() {
    return questionsPerImage;
  }

  public Split split() {
    return split;
  }

  /** Whether image {@code imageIndex} is a scene-text image. */
  public static boolean isTextImage(long imageIndex) {
    return imageIndex % 5 == 4;
  }

  /** The image of {@code imageIndex} (rendered now). */
  public BufferedImage image(int imageIndex) {
    checkImage(imageIndex);
    return isTextImage(imageIndex)
        ? textGenerator.render(textGenerator.scene(split, imageIndex))
        : generator.render(generator.scene(split, imageIndex));
  }

  /** The ground truth of an image: a {@link Scene} or a {@link TextScene}. */
  public Object imageScene(int imageIndex) {
    checkImage(imageIndex);
    return isTextImage(imageIndex) ? textGenerator.scene(split, imageIndex) : generator.scene(split, imageIndex);
  }

  /** The questions about one image, in order. */
  public List<VqaQuestion> questions(int imageIndex) {
    return questions(imageIndex, questionsPerImage);
  }

  /**
   * The first {@code limit} questions about one image, one per question type the image allows (up to
   * five), in order: the first three are those of {@link #questions(int)} at three per image.
   */
  public List<VqaQuestion> questions(int imageIndex, int limit) {
    checkImage(imageIndex);
    SceneRandom random = generator.random(TASK, split, imageIndex);
    List<String> types = new ArrayList<>();
    Object truth = imageScene(imageIndex);
    if (truth instanceof TextScene) {
      types.addAll(List.of("scene_text", "color", "yes/no"));
    } else {
      Scene scene = (Scene) truth;
      if (!uniqueBy(scene.objects(), true).isEmpty()) {
        types.add("color");
      }
      if (!uniqueBy(scene.objects(), false).isEmpty()) {
        types.add("shape");
      }
      types.addAll(List.of("count", "yes/no"));
      if (scene.count() == 1) {
        types.add("position");
      } else if (scene.count() == 2) {
        types.add("relation");
      }
    }
    for (int i = types.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String swap = types.get(i);
      types.set(i, types.get(j));
      types.set(j, swap);
    }
    List<VqaQuestion> out = new ArrayList<>();
    for (int k = 0; k < limit && k < types.size(); k++) {
      long questionId = imageIndex * 1000L + k;
      out.add(truth instanceof TextScene text
          ? textQuestion(types.get(k), text, imageIndex, questionId, random)
          : sceneQuestion(types.get(k), (Scene) truth, imageIndex, questionId, random));
    }
    return out;
  }

  /**
   * The binding questions of a scene beyond {@code asked}: "what color is the SHAPE?" for every object
   * whose shape occurs once and "what shape is the COLOR object?" for every object whose color occurs
   * once, each unless {@code asked} has it already; none for a sign. Their annotator answers come from
   * their own random stream, so {@link #questions} stay as they are.
   */
  public List<VqaQuestion> bindingQuestions(int imageIndex, List<VqaQuestion> asked) {
    if (!(imageScene(imageIndex) instanceof Scene scene)) {
      return List.of();
    }
    SceneRandom random = generator.random(TASK + "/binding", split, imageIndex);
    java.util.Set<String> seen = new java.util.HashSet<>();
    asked.forEach(q -> seen.add(q.question()));
    List<VqaQuestion> out = new ArrayList<>();
    long next = imageIndex * 1000L + asked.size();
    for (SceneObject o : uniqueBy(scene.objects(), true)) {
      String q = "what color is the " + o.shape().word() + "?";
      if (seen.add(q)) {
        out.add(question(next++, imageIndex, q, o.color().word(), "color", "other",
            HumanAnswers.colorConfusions(o.color()), random));
      }
    }
    for (SceneObject o : uniqueBy(scene.objects(), false)) {
      String q = "what shape is the " + o.color().word() + " object?";
      if (seen.add(q)) {
        out.add(question(next++, imageIndex, q, o.shape().word(), "shape", "other",
            HumanAnswers.shapeConfusions(o.shape()), random));
      }
    }
    return out;
  }

  private VqaQuestion sceneQuestion(String type, Scene scene, long imageId, long questionId, SceneRandom random) {
    List<SceneObject> objects = scene.objects();
    switch (type) {
      case "color": {
        SceneObject o = random.pick(uniqueBy(objects, true));
        return question(questionId, imageId, "what color is the " + o.shape().word() + "?", o.color().word(),
            type, "other",
            HumanAnswers.colorConfusions(o.color()), random);
      }
      case "shape": {
        SceneObject o = random.pick(uniqueBy(objects, false));
        return question(questionId, imageId, "what shape is the " + o.color().word() + " object?",
            o.shape().word(), type, "other",
            HumanAnswers.shapeConfusions(o.shape()), random);
      }
      case "count": {
        if (random.chance(0.5)) {
          return question(questionId, imageId, "how many shapes are there?", Integer.toString(objects.size()),
              type, "number", HumanAnswers.countConfusions(objects.size()), random);
        }
        ColorName color = random.pick(generator.config().colors());
        int n = (int) objects.stream().filter(o -> o.color() == color).count();
        return question(questionId, imageId, "how many " + color.word() + " shapes are there?",
            Integer.toString(n), type, "number", HumanAnswers.countConfusions(n), random);
      }
      case "position": {
        SceneObject o = objects.get(0);
        Position p = o.position();
        List<String> confusions = p == Position.CENTER ? List.of("middle") : List.of("center", p.word() + " side");
        return question(questionId, imageId, "where is the " + o.color().word() + " " + o.shape().word() + "?",
            p.word(), type, "other", confusions, random);
      }
      case "relation": {
        int subject = random.nextInt(2);
        SceneObject a = objects.get(subject);
        SceneObject b = objects.get(1 - subject);
        Relation truth = SceneObject.relation(a, b);
        Relation asked = truth;
        if (random.chance(0.5)) {
          List<Relation> wrong = new ArrayList<>(List.of(Relation.values()));
          wrong.remove(truth);
          asked = random.pick(wrong);
        }
        String answer = asked == truth ? "yes" : "no";
        String question = "is the " + a.color().word() + " " + a.shape().word() + " " + asked.phrase()
            + " the " + b.color().word() + " " + b.shape().word() + "?";
        return question(questionId, imageId, question, answer, type, "yes/no",
            HumanAnswers.yesNoConfusions(answer), random);
      }
      default: {
        ShapeKind shape;
        ColorName color;
        boolean present = random.chance(0.5);
        if (present) {
          SceneObject o = random.pick(objects);
          shape = o.shape();
          color = o.color();
        } else {
          do {
            shape = random.pick(generator.config().shapes());
            color = random.pick(generator.config().colors());
          } while (contains(objects, shape, color));
        }
        String answer = present ? "yes" : "no";
        return question(questionId, imageId, "is there " + CaptionGrammar.article(color.word()) + " "
            + color.word() + " " + shape.word() + "?", answer, "yes/no", "yes/no",
            HumanAnswers.yesNoConfusions(answer), random);
      }
    }
  }

  /** Objects whose shape (byShape) or color occurs only once in the scene, so "the circle" is clear. */
  private static List<SceneObject> uniqueBy(List<SceneObject> objects, boolean byShape) {
    return objects.stream()
        .filter(o -> objects.stream().filter(p -> byShape ? p.shape() == o.shape() : p.color() == o.color()).count() == 1)
        .toList();
  }

  private static boolean contains(List<SceneObject> objects, ShapeKind shape, ColorName color) {
    return objects.stream().anyMatch(o -> o.shape() == shape && o.color() == color);
  }

  private VqaQuestion textQuestion(String type, TextScene scene, long imageId, long questionId, SceneRandom random) {
    switch (type) {
      case "scene_text":
        List<String> answers = SyntheticSceneText.answers(scene);
        return new VqaQuestion(questionId, imageId, SyntheticSceneText.QUESTION, scene.word(), type, "other", answers);
      case "color":
        return question(questionId, imageId, "what color is the sign?", scene.signColor().word(), type, "other",
            HumanAnswers.colorConfusions(scene.signColor()), random);
      default: {
        ColorName asked = random.chance(0.5) ? scene.signColor() : random.pick(generator.config().colors());
        String answer = asked == scene.signColor() ? "yes" : "no";
        return question(questionId, imageId, "is the sign " + asked.word() + "?", answer, "yes/no", "yes/no",
            HumanAnswers.yesNoConfusions(answer), random);
      }
    }
  }

  private static VqaQuestion question(long questionId, long imageId, String question, String answer, String type,
      String answerType, List<String> confusions, SceneRandom random) {
    return new VqaQuestion(questionId, imageId, question, answer, type, answerType,
        HumanAnswers.draw(answer, confusions, random));
  }

  @Override
  public Example get(int index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("index " + index + " out of range 0.." + (size() - 1) + " of " + name());
    }
    int imageIndex = index / questionsPerImage;
    List<VqaQuestion> questions = questions(imageIndex);
    VqaQuestion q = questions.get(Math.min(index % questionsPerImage, questions.size() - 1));
    return example(imageIndex, q, image(imageIndex), imageScene(imageIndex));
  }

  /**
   * Every text about image {@code imageIndex} as one {@link Example#group}: all its questions (one per
   * question type it allows, up to five, then its {@link #bindingQuestions}: the color of every object
   * with a unique shape, the shape of every object with a unique color) and, when {@code withCaption},
   * its canonical-first captions (a scene's, or a sign's TextCaps-style ones) as the last member.
   */
  public Example group(int imageIndex, boolean withCaption) {
    BufferedImage image = image(imageIndex);
    Object truth = imageScene(imageIndex);
    List<Example> members = new ArrayList<>();
    List<VqaQuestion> asked = new ArrayList<>(questions(imageIndex, Integer.MAX_VALUE));
    asked.addAll(bindingQuestions(imageIndex, asked));
    for (VqaQuestion q : asked) {
      members.add(example(imageIndex, q, image, truth));
    }
    if (withCaption) {
      List<String> captions = truth instanceof TextScene text ? textGenerator.captions(text)
          : generator.captions((Scene) truth);
      members.add(Example.caption(split.id() + "-c" + imageIndex, image, captions));
    }
    return Example.group(members);
  }

  /** The images of this dataset as groups ({@link #group}): item {@code i} holds every text about image {@code i}. */
  public Dataset groups(boolean withCaption) {
    return new Dataset() {
      @Override
      public String name() {
        return SyntheticVqa.this.name() + "/per-image" + (withCaption ? "+caption" : "");
      }

      @Override
      public int size() {
        return images;
      }

      @Override
      public Example get(int index) {
        return group(index, withCaption);
      }
    };
  }

  private Example example(int imageIndex, VqaQuestion q, BufferedImage image, Object truth) {
    Example example = new Example(split.id() + "-q" + q.questionId(), List.of(image), q.question(), q.answers(),
        Map.of()).with(VqaInfo.KEY, new VqaInfo(q.questionId(), String.valueOf(q.imageId()), q.questionType(),
            q.answerType(), q.answer()));
    return truth instanceof TextScene text ? example.with(TextScene.KEY, text) : example.with(Scene.KEY, (Scene) truth);
  }

  private void checkImage(int imageIndex) {
    if (imageIndex < 0 || imageIndex >= images) {
      throw new IndexOutOfBoundsException("image " + imageIndex + " out of range 0.." + (images - 1) + " of " + name());
    }
  }
}
