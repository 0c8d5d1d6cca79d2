package dev.glimpse.tokenize;

import java.nio.file.Path;

/** Text to token ids and back. Special tokens are never produced by {@link #encode}; callers add BOS/EOS. */
public interface Tokenizer extends AutoCloseable {
  /** Ids of the text, without special tokens. */
  int[] encode(String text);

  /** Text of the ids; special tokens (BOS, EOS, PAD) are dropped, surrounding space trimmed. */
  String decode(int[] ids);

  /** Number of ids the model's embedding must hold. */
  int vocabSize();

  SpecialTokens special();

  /** How conversations are written for the model this tokenizer belongs to, or null (no chat format). */
  default ChatTemplate chatTemplate() {
    return null;
  }

  /**
   * Writes {@code tokenizer.json} (HuggingFace format) and {@code special_tokens.json} into a folder,
   * and {@value ChatTemplate#FILE} when it has a chat template.
   */
  default void save(Path dir) {
    save(dir, "");
  }

  /**
   * As {@link #save(Path)}, each file name preceded by {@code prefix} ({@code "decoder_"}: {@code
   * decoder_tokenizer.json}...): a second tokenizer in the same folder.
   */
  void save(Path dir, String prefix);

  @Override
  void close();
}
