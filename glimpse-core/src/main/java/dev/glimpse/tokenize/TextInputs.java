package dev.glimpse.tokenize;

import dev.glimpse.util.GlimpseException;

/** How a text becomes the input of a text encoder: {@code [BOS] text [EOS]}, as CLIP reads it. */
public final class TextInputs {
  private TextInputs() {}

  /** {@code [BOS] ids(text) [EOS]}; the empty text is {@code [BOS] [EOS]} (the unconditional prompt). */
  public static int[] framed(Tokenizer tokenizer, String text) {
    int[] ids = text.isEmpty() ? new int[0] : tokenizer.encode(text);
    int[] out = new int[ids.length + 2];
    out[0] = tokenizer.special().bos();
    System.arraycopy(ids, 0, out, 1, ids.length);
    out[out.length - 1] = tokenizer.special().eos();
    return out;
  }

  /**
   * {@link #framed}, refusing a prompt that is empty or longer than {@code maxLength} ids with its
   * start and end tokens (a text encoder has that many positions).
   */
  public static int[] prompt(Tokenizer tokenizer, String text, int maxLength) {
    if (text == null || text.isBlank()) {
      throw new GlimpseException("empty prompt: give the text to generate an image of");
    }
    int[] ids = framed(tokenizer, text);
    if (ids.length > maxLength) {
      throw new GlimpseException("prompt '" + text + "' is " + ids.length + " tokens with its start and end tokens; "
          + "the text encoder takes at most " + maxLength);
    }
    return ids;
  }
}
