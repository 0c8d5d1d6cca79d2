package dev.glimpse.data;

import dev.glimpse.tokenize.ChatTemplate;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A conversation about one or more images (an {@link Example}'s frames, in order): LLaVA's visual
 * instruction data (describe the image, then follow-up questions), or an interleaved few-shot
 * sequence (images each followed by its text, Flamingo's). Stored in the example's annotations
 * under {@link #KEY}; a model's {@link ChatTemplate} writes it as text.
 *
 * @param turns the exchanges, each about image {@code turn.image()} of the example or none (-1)
 * @param learnFrom the first turn whose reply is learned (earlier replies are context only: the
 *     made-up names of a few-shot sequence's examples, which nothing could predict)
 */
public record Conversation(List<ChatTemplate.Turn> turns, int learnFrom) {
  /** The annotation of an example's conversation. */
  public static final Annotation<Conversation> KEY = Annotation.named("conversation");
  /**
   * The chat format a text corpus's conversation is written in, when it names one (a language model's
   * training text mixes formats); a connector model writes conversations in its own.
   */
  public static final Annotation<ChatTemplate> TEMPLATE = Annotation.named("chat_template");

  public Conversation {
    turns = List.copyOf(turns);
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("a conversation needs at least one turn");
    }
    if (learnFrom < 0 || learnFrom >= turns.size()) {
      throw new IllegalArgumentException("learnFrom must name a turn, got " + learnFrom + " of " + turns.size());
    }
  }

  /** A conversation whose replies are all learned. */
  public Conversation(List<ChatTemplate.Turn> turns) {
    this(turns, 0);
  }

  /**
   * An example holding a conversation about {@code images}: its prompt is the first message, its
   * targets the replies (what other readers of the example, such as tokenizer training, see).
   */
  public static Example example(String id, List<BufferedImage> images, Conversation conversation,
      Map<Annotation<?>, Object> annotations) {
    Map<Annotation<?>, Object> all = new HashMap<>(annotations);
    all.put(KEY, conversation);
    List<String> replies = new ArrayList<>();
    for (ChatTemplate.Turn t : conversation.turns()) {
      if (t.reply() != null) {
        replies.add(t.reply());
      }
    }
    return new Example(id, images, conversation.turns().get(0).user(), replies, Map.of(), all);
  }

  /** The conversation of an example, or null. */
  public static Conversation of(Example example) {
    return example.get(KEY);
  }

  /** Every message and reply, for tokenizer training. */
  public List<String> texts() {
    List<String> out = new ArrayList<>();
    for (ChatTemplate.Turn t : turns) {
      out.add(t.user());
      if (t.reply() != null) {
        out.add(t.reply());
      }
    }
    return out;
  }

  /** Images the turns show (the highest index + 1). */
  public int images() {
    int n = 0;
    for (ChatTemplate.Turn t : turns) {
      n = Math.max(n, t.image() + 1);
    }
    return n;
  }
}
