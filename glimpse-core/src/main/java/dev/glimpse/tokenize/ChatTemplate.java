package dev.glimpse.tokenize;

import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.List;

/**
 * How a conversation becomes the token ids a model reads, stored with the tokenizer ({@value #FILE}
 * next to {@code tokenizer.json}, as HuggingFace keeps {@code chat_template} in the tokenizer's
 * config): every turn is {@code turn [image] question MESSAGE answer} (no loss) followed by the reply
 * and EOS (the loss), e.g. LLaVA-1.5's {@code USER: <image>\nwhat color is the circle? ASSISTANT:
 * red</s>}.
 *
 * <p>Training ({@code ConversationBatcher}) and generation (evaluation, {@code glimpse caption}, the
 * server's chat endpoint) both go through {@link #encode}, segment by segment, so the prompt a model
 * is asked with is token for token the prompt it was trained on.
 *
 * @param name what the template is ("vicuna", "question-answer"), for logs
 * @param system text before the first turn ("" for none)
 * @param turn text that opens a turn ("USER: ")
 * @param image text of an image placeholder, written after {@code turn} in a turn that shows an
 *     image; it must hold {@value #IMAGE_TOKEN}, which the model replaces by its visual tokens (LLaVA,
 *     BLIP-2) or reads as the place of an image (Flamingo)
 * @param question text before the user's message ("Question: ")
 * @param answer text after the user's message that opens the reply (" ASSISTANT:")
 * @param caption the message that asks for a caption ({@value #CAPTION} unless given): what {@code
 *     glimpse caption} and caption evaluation ask a model that has a template
 */
public record ChatTemplate(String name, String system, String turn, String image, String question, String answer,
    String caption) {
  /** The caption request of the built-in templates (the synthetic instruction data's). */
  public static final String CAPTION = "describe the image briefly.";

  /** The file the template is saved in, beside the tokenizer. */
  public static final String FILE = "chat_template.json";
  /** The image placeholder token every connector tokenizer holds. */
  public static final String IMAGE_TOKEN = "<image>";

  public ChatTemplate {
    if (name == null || system == null || turn == null || image == null || question == null || answer == null) {
      throw new IllegalArgumentException("a chat template needs name, system, turn, image, question and answer (use "
          + "\"\" for none)");
    }
    if (caption == null || caption.isBlank()) {
      caption = CAPTION;
    }
    if (!image.contains(IMAGE_TOKEN)) {
      throw new IllegalArgumentException("the chat template's image text must hold " + IMAGE_TOKEN + ", got '" + image
          + "'");
    }
  }

  /** LLaVA-1.5's conversation format (Vicuna v1): {@code USER: <image>\n... ASSISTANT: ...</s>}. */
  public static ChatTemplate vicuna() {
    return new ChatTemplate("vicuna", "", "USER: ", IMAGE_TOKEN + "\n", "", " ASSISTANT:", CAPTION);
  }

  /**
   * The prompt BLIP-2 and Flamingo are evaluated with, as turns: {@code <image>Question: ... Answer:
   * ...}, EOS ending each answer (Flamingo's {@code <|endofchunk|>}).
   */
  public static ChatTemplate questionAnswer() {
    return new ChatTemplate("question-answer", "", "", IMAGE_TOKEN, "Question: ", " Answer:", CAPTION);
  }

  /** A built-in template by name ({@code vicuna}, {@code question-answer}). */
  public static ChatTemplate named(String name) {
    for (ChatTemplate t : new ChatTemplate[] {vicuna(), questionAnswer()}) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new GlimpseException("unknown chat template '" + name + "' (known: vicuna, question-answer)");
  }

  /** One exchange: the user's message (about image {@code image}, or none: -1) and the reply (null: to generate). */
  public record Turn(int image, String user, String reply) {
    public Turn {
      if (user == null) {
        throw new IllegalArgumentException("a turn needs the user's message");
      }
    }

    /** A turn about image {@code image} whose reply the model is to write. */
    public static Turn ask(int image, String user) {
      return new Turn(image, user, null);
    }
  }

  /**
   * Token ids of a conversation (without BOS) and which of them are learned: the replies and the EOS
   * after each. A last turn without a reply ends with the reply opening (a generation prompt).
   *
   * @param ids the ids
   * @param targets 1 where the id is part of a reply (or its EOS), else 0
   * @param images how many image placeholders the ids hold
   */
  public record Encoded(int[] ids, float[] targets, int images) {}

  /** The conversation as ids; every turn but the last must have a reply. */
  public Encoded encode(Tokenizer tokenizer, List<Turn> turns) {
    if (turns.isEmpty()) {
      throw new GlimpseException("a conversation needs at least one turn");
    }
    List<Integer> ids = new ArrayList<>();
    List<Float> targets = new ArrayList<>();
    if (!system.isEmpty()) {
      add(ids, targets, tokenizer.encode(system), 0);
    }
    int images = 0;
    int eos = tokenizer.special().eos();
    for (int i = 0; i < turns.size(); i++) {
      Turn turn = turns.get(i);
      boolean last = i == turns.size() - 1;
      if (turn.reply() == null && !last) {
        throw new GlimpseException("turn " + (i + 1) + " of " + turns.size() + " has no reply; only the last may ask");
      }
      String prompt = this.turn + (turn.image() >= 0 ? image : "") + question + turn.user() + answer;
      images += turn.image() >= 0 ? 1 : 0;
      add(ids, targets, tokenizer.encode(prompt), 0);
      if (turn.reply() != null) {
        add(ids, targets, tokenizer.encode(" " + turn.reply()), 1);
        ids.add(eos);
        targets.add(1f);
      }
    }
    int[] out = new int[ids.size()];
    float[] weights = new float[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.get(i);
      weights[i] = targets.get(i);
    }
    return new Encoded(out, weights, images);
  }

  /**
   * The ids of a generation prompt: the conversation written by {@code template}, or without one (a
   * model that was not trained on conversations) each turn's image placeholder, message and reply as
   * they are.
   */
  public static int[] prompt(Tokenizer tokenizer, ChatTemplate template, List<Turn> turns) {
    if (template != null) {
      return template.encode(tokenizer, turns).ids();
    }
    StringBuilder text = new StringBuilder();
    for (Turn t : turns) {
      text.append(t.image() >= 0 ? IMAGE_TOKEN : "").append(t.user());
      if (t.reply() != null) {
        text.append(' ').append(t.reply()).append(' ');
      }
    }
    return tokenizer.encode(text.toString());
  }

  private static void add(List<Integer> ids, List<Float> targets, int[] piece, float target) {
    for (int id : piece) {
      ids.add(id);
      targets.add(target);
    }
  }
}
