package dev.glimpse.data.synth;

import dev.glimpse.data.Annotation;
import dev.glimpse.data.Conversation;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.tokenize.ChatTemplate;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * In-context learning that only the context can answer (Flamingo's few-shot setting, made
 * measurable): each sequence gives made-up names ("dax", "blicket", ...) to shapes or to colors, drawn
 * fresh for the sequence, shows {@code k} examples (an image of one object, then {@value #QUESTION}
 * and its name) and asks the same of a new image, whose answer is the name its shape (or color) got
 * in the examples. The other attribute is the same in every image of a sequence, so the question is
 * never ambiguous; the examples' attribute values differ. With 0 shots the name is a guess (chance is
 * one in {@code NAMES.size()}).
 *
 * <p>Item {@code i} draws its shots in {@code [minShots, maxShots]}; its example holds the {@code k + 1}
 * images and a {@link Conversation} whose replies before the last are context (not learned), with
 * annotations {@link #SHOTS}, {@link #ANSWER} and {@link #ATTRIBUTE}. {@link #text} writes the same
 * sequence with words in place of images, and possibly more questions, for the language model's
 * corpus.
 */
public final class NamingGame implements Dataset {
  public static final String TASK = "naming";
  public static final String QUESTION = "what is this called?";
  /** The examples a sequence shows before its question. */
  public static final Annotation<Integer> SHOTS = Annotation.named("shots");
  /** The name its question asks for. */
  public static final Annotation<String> ANSWER = Annotation.named("answer");
  /** Whether it names shapes ("shape") or colors ("color"). */
  public static final Annotation<String> ATTRIBUTE = Annotation.named("attribute");
  /** Made-up names, one per concept of a sequence, drawn afresh for each sequence. */
  public static final List<String> NAMES = List.of("dax", "blicket", "wug", "fep", "toma", "zorb", "kiki", "bouba",
      "gazzer", "pilk", "modi", "tulver", "zav", "lorp", "mipen", "sprock", "tove", "jabber", "fendle", "quib",
      "narp", "vosk", "glim", "trell", "zup", "brisk", "moop", "hask", "yindle", "plov");

  private final SceneGenerator generator;
  private final Split split;
  private final int size;
  private final int minShots;
  private final int maxShots;

  public NamingGame(SceneGenerator generator, Split split, int size, int minShots, int maxShots) {
    if (minShots < 0 || maxShots < minShots || maxShots > 4) {
      throw new IllegalArgumentException("shots must satisfy 0 <= minShots <= maxShots <= 4, got " + minShots + ".."
          + maxShots);
    }
    this.generator = generator;
    this.split = split;
    this.size = size;
    this.minShots = minShots;
    this.maxShots = maxShots;
  }

  @Override
  public String name() {
    return "synthetic-naming/" + split.id() + "/" + minShots + (maxShots > minShots ? "-" + maxShots : "") + "-shot";
  }

  @Override
  public int size() {
    return size;
  }

  /** One sequence: the objects of its examples and query, their names, the answer. */
  public record Sequence(boolean byShape, List<SceneObjectSpec> examples, List<String> names, SceneObjectSpec query,
      String answer) {}

  /** The shape and color of one object to draw. */
  public record SceneObjectSpec(ShapeKind shape, ColorName color) {
    /** "a red circle". */
    public String phrase() {
      return CaptionGrammar.article(color.word()) + " " + color.word() + " " + shape.word();
    }
  }

  /** The sequence of item {@code index}. */
  public Sequence sequence(int index) {
    SceneRandom random = generator.random(stream(), split, index);
    int shots = minShots + random.nextInt(maxShots - minShots + 1);
    boolean byShape = random.chance(0.5);
    List<ShapeKind> shapes = shuffled(generator.config().shapes(), random);
    List<ColorName> colors = shuffled(generator.config().colors(), random);
    List<String> names = shuffled(NAMES, random);
    int concepts = Math.max(shots, 1);
    List<SceneObjectSpec> examples = new ArrayList<>();
    for (int j = 0; j < concepts; j++) {
      examples.add(byShape ? new SceneObjectSpec(shapes.get(j % shapes.size()), colors.get(0))
          : new SceneObjectSpec(shapes.get(0), colors.get(j % colors.size())));
    }
    int asked = random.nextInt(concepts);
    List<String> used = List.copyOf(names.subList(0, concepts));
    List<SceneObjectSpec> shown = shots == 0 ? List.of() : List.copyOf(examples);
    return new Sequence(byShape, shown, shots == 0 ? List.of() : used, examples.get(asked), used.get(asked));
  }

  // one random stream per shot range: the 0-, 1-, 2- and 4-shot test sets are unrelated draws
  private String stream() {
    return TASK + "/" + minShots + "-" + maxShots;
  }

  private static <T> List<T> shuffled(List<T> items, SceneRandom random) {
    List<T> out = new ArrayList<>(items);
    for (int i = out.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T swap = out.get(i);
      out.set(i, out.get(j));
      out.set(j, swap);
    }
    return out;
  }

  /** The image of one object of a sequence: its own size, place, background and noise. */
  BufferedImage image(SceneObjectSpec spec, SceneRandom random) {
    SceneGenerator one = new SceneGenerator(generator.config().withObjects(1, 1)
        .withPalette(List.of(spec.shape()), List.of(spec.color())));
    return one.render(one.sample(random));
  }

  @Override
  public Example get(int index) {
    Sequence s = sequence(index);
    SceneRandom random = generator.random(stream() + "/images", split, index);
    List<BufferedImage> images = new ArrayList<>();
    List<ChatTemplate.Turn> turns = new ArrayList<>();
    for (int j = 0; j < s.examples().size(); j++) {
      images.add(image(s.examples().get(j), random));
      turns.add(new ChatTemplate.Turn(j, QUESTION, s.names().get(j)));
    }
    images.add(image(s.query(), random));
    turns.add(new ChatTemplate.Turn(s.examples().size(), QUESTION, s.answer()));
    Map<Annotation<?>, Object> extras = new HashMap<>();
    extras.put(SHOTS, s.examples().size());
    extras.put(ANSWER, s.answer());
    extras.put(ATTRIBUTE, s.byShape() ? "shape" : "color");
    return Conversation.example(split.id() + "-naming" + minShots + (maxShots > minShots ? "-" + maxShots : "")
        + "shot-" + index, images,
        new Conversation(turns, s.examples().size()), extras);
  }

  /**
   * The sequence of item {@code index} in words ("this is a red circle. what is this called?"), no
   * images, with {@code queries} questions after the examples: its own, then more about concepts
   * drawn among the examples' (a language model learns to copy from every one of them).
   */
  public Conversation text(int index, int queries) {
    Sequence s = sequence(index);
    List<ChatTemplate.Turn> turns = new ArrayList<>();
    for (int j = 0; j < s.examples().size(); j++) {
      turns.add(new ChatTemplate.Turn(-1, "this is " + s.examples().get(j).phrase() + ". " + QUESTION,
          s.names().get(j)));
    }
    turns.add(new ChatTemplate.Turn(-1, "this is " + s.query().phrase() + ". " + QUESTION, s.answer()));
    SceneRandom random = generator.random(stream() + "/queries", split, index);
    for (int q = 1; q < queries && !s.examples().isEmpty(); q++) {
      int j = random.nextInt(s.examples().size());
      turns.add(new ChatTemplate.Turn(-1, "this is " + s.examples().get(j).phrase() + ". " + QUESTION,
          s.names().get(j)));
    }
    return new Conversation(turns, s.examples().size());
  }
}
