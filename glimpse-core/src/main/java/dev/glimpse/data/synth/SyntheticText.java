package dev.glimpse.data.synth;

import dev.glimpse.data.Annotation;
import dev.glimpse.data.Conversation;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.tokenize.ChatTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text of the synthetic suite, for a language model trained before it ever sees an image (the
 * connector recipes then load it, frozen): captions, long descriptions, dialogues and naming games,
 * where every image is replaced by its description in words. Item {@code i} is one of six kinds
 * ({@code i % 6}):
 *
 * <ol start="0">
 *   <li>a reference caption of captioning scene {@code i};
 *   <li>the long description of that scene ({@link SceneDescriptions});
 *   <li>a dialogue about VQA image {@code i} in LLaVA's format ({@link ChatTemplate#vicuna}): the first
 *       message holds the image's long description and asks, two times in three, for a brief one
 *       (the caption), then up to three questions with their answers;
 *   <li>the same in BLIP-2's and Flamingo's question-answer format ({@link ChatTemplate#questionAnswer});
 *   <li>a naming game in words ({@link NamingGame#text}: "this is a red circle. what is this called?"
 *       answered by made-up names, then three questions whose names are repeats), LLaVA's format;
 *   <li>the same in the question-answer format.
 * </ol>
 *
 * Dialogues and games are {@link Conversation}s annotated with their format ({@link
 * Conversation#TEMPLATE}: {@code vicuna} or {@code question-answer}); captions and descriptions are plain text ({@link
 * Example#text}). So the language model learns the turn formats, answering from a description and
 * copying a name from its context, and the connectors only have to put images where the words were.
 */
public final class SyntheticText implements Dataset {
  public static final String TASK = "text";

  /** Questions of a naming game in words: its own and two more, three names to copy from the context. */
  public static final int QUERIES = 3;
  /** Set on naming games (their last reply can only be copied from the context). */
  public static final Annotation<Boolean> NAMING = Annotation.named("naming");

  private final SceneGenerator generator;
  private final SyntheticVqa vqa;
  private final NamingGame naming;
  private final Split split;
  private final int size;

  public SyntheticText(SceneGenerator generator, Split split, int size) {
    this.generator = generator;
    this.vqa = new SyntheticVqa(generator, split, Math.max(1, size));
    this.naming = new NamingGame(generator, split, Math.max(1, size), 1, 4);
    this.split = split;
    this.size = size;
  }

  @Override
  public String name() {
    return "synthetic-text/" + split.id();
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Example get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " out of range 0.." + (size - 1) + " of " + name());
    }
    String id = split.id() + "-text" + index;
    int kind = index % 6;
    SceneRandom random = generator.random(TASK, split, index);
    switch (kind) {
      case 0: {
        List<String> captions = generator.captions(generator.scene(split, index));
        return Example.text(id, captions.get(random.nextInt(captions.size())), Map.of());
      }
      case 1:
        return Example.text(id, SceneDescriptions.describe(generator.scene(split, index)), Map.of());
      case 2:
      case 3: {
        ChatTemplate format = kind == 2 ? ChatTemplate.vicuna() : ChatTemplate.questionAnswer();
        return Conversation.example(id, List.of(), new Conversation(dialogue(index, random)),
            Map.of(Conversation.TEMPLATE, format));
      }
      default: {
        ChatTemplate format = kind == 4 ? ChatTemplate.vicuna() : ChatTemplate.questionAnswer();
        return Conversation.example(id, List.of(), naming.text(index, QUERIES),
            Map.of(Conversation.TEMPLATE, format, NAMING, true));
      }
    }
  }

  // the description in the first message, a caption request, then questions
  private List<ChatTemplate.Turn> dialogue(int index, SceneRandom random) {
    Object truth = vqa.imageScene(index);
    String description = truth instanceof TextScene sign ? SceneDescriptions.describe(sign)
        : SceneDescriptions.describe((Scene) truth);
    String caption = truth instanceof TextScene sign ? new SceneTextGenerator(generator.config()).captions(sign).get(0)
        : CaptionGrammar.canonical((Scene) truth);
    List<ChatTemplate.Turn> turns = new ArrayList<>();
    boolean describe = random.chance(2.0 / 3);
    if (describe) {
      turns.add(new ChatTemplate.Turn(-1, description + " " + SyntheticConversations.BRIEF, caption));
    }
    List<VqaQuestion> questions = new ArrayList<>(vqa.questions(index, Integer.MAX_VALUE));
    questions.addAll(vqa.bindingQuestions(index, questions));
    int followUps = 1 + random.nextInt(SyntheticConversations.FOLLOW_UPS);
    for (int k = 0; k < followUps && !questions.isEmpty(); k++) {
      VqaQuestion q = questions.remove(random.nextInt(questions.size()));
      turns.add(new ChatTemplate.Turn(-1, turns.isEmpty() ? description + " " + q.question() : q.question(),
          q.answer()));
    }
    return turns;
  }
}
