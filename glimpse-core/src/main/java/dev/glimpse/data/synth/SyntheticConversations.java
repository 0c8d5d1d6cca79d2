package dev.glimpse.data.synth;

import dev.glimpse.data.Conversation;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.tokenize.ChatTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Visual instruction data built from the synthetic suite, as LLaVA's (Liu et al. 2023, section 3)
 * was built from captions and boxes: item {@code i} is a conversation about image {@code i} of the
 * synthetic VQA images ({@link SyntheticVqa}: scenes, every fifth a sign). The first turn shows the
 * image. Two conversations in three start with a description, brief ({@value #BRIEF}: the canonical
 * caption) or, one time in four, detailed ({@value #DETAILED}: {@link SceneDescriptions}); then come up
 * to {@link #FOLLOW_UPS} questions about attributes, counts, positions and relations (the image's VQA
 * and binding questions in a random order, each answered with its majority answer); the others start
 * with a question.
 */
public final class SyntheticConversations implements Dataset {
  /** The request of a caption. */
  public static final String BRIEF = ChatTemplate.CAPTION;
  /** The request of a long description. */
  public static final String DETAILED = "describe the image in detail.";
  /** Most follow-up questions per conversation. */
  public static final int FOLLOW_UPS = 3;

  private final SyntheticVqa vqa;
  private final SceneGenerator generator;
  private final SceneTextGenerator textGenerator;

  public SyntheticConversations(SceneGenerator generator, Split split, int size) {
    this.vqa = new SyntheticVqa(generator, split, size);
    this.generator = generator;
    this.textGenerator = new SceneTextGenerator(generator.config());
  }

  @Override
  public String name() {
    return "synthetic-conversations/" + vqa.split().id();
  }

  @Override
  public int size() {
    return vqa.imageCount();
  }

  /** The turns about image {@code index} (replies included). */
  public List<ChatTemplate.Turn> turns(int index) {
    Object truth = vqa.imageScene(index);
    SceneRandom random = generator.random("conversation", vqa.split(), index);
    List<ChatTemplate.Turn> turns = new ArrayList<>();
    if (random.chance(2.0 / 3)) {
      if (random.chance(0.25)) {
        turns.add(new ChatTemplate.Turn(0, DETAILED, truth instanceof TextScene sign
            ? SceneDescriptions.describe(sign) : SceneDescriptions.describe((Scene) truth)));
      } else {
        turns.add(new ChatTemplate.Turn(0, BRIEF, caption(truth)));
      }
    }
    List<VqaQuestion> questions = new ArrayList<>(vqa.questions(index, Integer.MAX_VALUE));
    questions.addAll(vqa.bindingQuestions(index, questions));
    for (int i = questions.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      VqaQuestion swap = questions.get(i);
      questions.set(i, questions.get(j));
      questions.set(j, swap);
    }
    int followUps = 1 + random.nextInt(FOLLOW_UPS);
    for (int k = 0; k < followUps && k < questions.size(); k++) {
      turns.add(new ChatTemplate.Turn(turns.isEmpty() ? 0 : -1, questions.get(k).question(), questions.get(k).answer()));
    }
    return turns;
  }

  /** The canonical caption of an image's ground truth. */
  String caption(Object truth) {
    return truth instanceof TextScene sign ? textGenerator.captions(sign).get(0)
        : CaptionGrammar.canonical((Scene) truth);
  }

  @Override
  public Example get(int index) {
    return Conversation.example(vqa.split().id() + "-conv" + index, List.of(vqa.image(index)),
        new Conversation(turns(index)), Map.of());
  }
}
