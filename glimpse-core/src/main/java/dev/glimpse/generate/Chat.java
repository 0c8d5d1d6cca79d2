package dev.glimpse.generate;

import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-turn conversation with a model about images: the history (user messages and the model's
 * replies) is written by the model's chat template ({@link Tokenizer#chatTemplate}) into one prompt,
 * the images go where their placeholders are, and the model writes the next reply. What {@code
 * glimpse chat} and a chat endpoint need; every connector model (LLaVA, BLIP-2, Flamingo) and every
 * captioner (whose template is none: the messages are prompts as they are) can answer.
 */
public final class Chat {
  private Chat() {}

  /**
   * One message.
   *
   * @param role {@value #USER} or {@value #ASSISTANT}
   * @param text what it says
   * @param image the index of the image the message shows (in the conversation's images), or -1
   */
  public record Message(String role, String text, int image) {
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public Message {
      if (!USER.equals(role) && !ASSISTANT.equals(role)) {
        throw new GlimpseException("a message's role is 'user' or 'assistant', got '" + role + "'");
      }
      if (text == null) {
        throw new GlimpseException("a message needs its text");
      }
    }

    public static Message user(String text, int image) {
      return new Message(USER, text, image);
    }

    public static Message assistant(String text) {
      return new Message(ASSISTANT, text, -1);
    }
  }

  /**
   * The turns of a history that ends with a user message: each user message with the reply after it
   * (the last without one).
   */
  public static List<ChatTemplate.Turn> turns(List<Message> history) {
    if (history.isEmpty() || !history.get(history.size() - 1).role().equals(Message.USER)) {
      throw new GlimpseException("a conversation to answer ends with a user message");
    }
    List<ChatTemplate.Turn> turns = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      Message m = history.get(i);
      if (!m.role().equals(Message.USER)) {
        throw new GlimpseException("message " + (i + 1) + ": an assistant message must follow a user message");
      }
      String reply = i + 1 < history.size() ? history.get(++i).text() : null;
      if (reply != null && !history.get(i).role().equals(Message.ASSISTANT)) {
        throw new GlimpseException("message " + (i + 1) + ": two user messages in a row");
      }
      turns.add(new ChatTemplate.Turn(m.image(), m.text(), reply));
    }
    return turns;
  }

  /**
   * The model's next reply.
   *
   * @param images the images the messages show, by index
   */
  public static String reply(Captioner captioner, Tokenizer tokenizer, List<BufferedImage> images,
      List<Message> history, GenerationConfig config) {
    List<ChatTemplate.Turn> turns = turns(history);
    for (ChatTemplate.Turn t : turns) {
      if (t.image() >= images.size()) {
        throw new GlimpseException("a message shows image " + t.image() + " of " + images.size());
      }
    }
    int[] prompt = ChatTemplate.prompt(tokenizer, tokenizer.chatTemplate(), turns);
    List<BufferedImage> shown = new ArrayList<>();
    for (ChatTemplate.Turn t : turns) {
      if (t.image() >= 0) {
        shown.add(images.get(t.image()));
      }
    }
    if (shown.isEmpty()) {
      throw new GlimpseException("the conversation shows no image (give the first message one)");
    }
    return captioner.generateFromIds(List.of(shown), List.of(prompt), config, 1, null).get(0).text();
  }
}
