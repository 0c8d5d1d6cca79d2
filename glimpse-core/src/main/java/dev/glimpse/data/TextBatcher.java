package dev.glimpse.data;

import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.tokenize.SpecialTokens;
import dev.glimpse.tokenize.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Text examples to {@link TextBatch}es for a language model: {@code [BOS] text [EOS]} for plain text
 * (a text-only {@link Example}: its first target), and a {@link Conversation} written by the chat
 * template its extras name (EOS after each reply); every token is learned. Rows longer than {@code
 * maxTokens} are cut.
 */
public final class TextBatcher implements ExampleBatcher<TextBatch> {
  private final Tokenizer tokenizer;
  private final int maxTokens;
  private final Function<Example, ChatTemplate> templates;

  /**
   * @param templates the chat template of a conversation example (e.g. from its extras)
   */
  public TextBatcher(Tokenizer tokenizer, int maxTokens, Function<Example, ChatTemplate> templates) {
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
    this.templates = templates;
  }

  /** The ids of one example after BOS, EOS included. */
  public int[] ids(Example ex) {
    Conversation conversation = Conversation.of(ex);
    if (conversation != null) {
      return templates.apply(ex).encode(tokenizer, conversation.turns()).ids();
    }
    String text = ex.prompt().isEmpty() ? ex.targets().get(0) : ex.prompt() + " " + ex.targets().get(0);
    int[] body = tokenizer.encode(text);
    int[] out = Arrays.copyOf(body, body.length + 1);
    out[body.length] = tokenizer.special().eos();
    return out;
  }

  @Override
  public TextBatch batch(List<Example> examples, SplittableRandom random) {
    int b = examples.size();
    int[][] rows = new int[b][];
    int length = 1;
    for (int i = 0; i < b; i++) {
      int[] body = ids(examples.get(i));
      int[] seq = new int[Math.min(body.length + 1, maxTokens)];
      seq[0] = tokenizer.special().bos();
      System.arraycopy(body, 0, seq, 1, seq.length - 1);
      rows[i] = seq;
      length = Math.max(length, seq.length - 1);
    }
    SpecialTokens special = tokenizer.special();
    long[] inputs = new long[b * length];
    long[] targets = new long[b * length];
    float[] weights = new float[b * length];
    float[] valid = new float[b * length];
    Arrays.fill(inputs, special.pad());
    Arrays.fill(targets, special.pad());
    String[] ids = new String[b];
    for (int i = 0; i < b; i++) {
      ids[i] = examples.get(i).id();
      for (int t = 0; t + 1 < rows[i].length; t++) {
        int cell = i * length + t;
        inputs[cell] = rows[i][t];
        targets[cell] = rows[i][t + 1];
        weights[cell] = 1;
        valid[cell] = 1;
      }
    }
    return new TextBatch(b, length, inputs, targets, weights, valid, ids);
  }
}
