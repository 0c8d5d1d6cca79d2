package dev.glimpse.recipes;

import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.tokenize.BpeTrainer;

/**
 * The tokenizer of a run: a byte-level BPE trained on training texts, or an existing tokenizer.json.
 *
 * @param vocabSize upper bound on the trained vocabulary
 * @param minFrequency pair frequency needed for a merge
 * @param sampleExamples training examples whose texts train the tokenizer
 * @param file an existing HuggingFace tokenizer.json to use instead of training, or null
 * @param chatTemplate how conversations are written for the model ({@link ChatTemplate}), saved with the
 *     tokenizer; null for models that are not prompted with conversations
 */
public record TokenizerConfig(int vocabSize, int minFrequency, int sampleExamples, String file,
    ChatTemplate chatTemplate) {
  public TokenizerConfig {
    if (file == null && vocabSize < BpeTrainer.BYTE_VOCAB) {
      throw new IllegalArgumentException("tokenizer vocabSize must be >= " + BpeTrainer.BYTE_VOCAB + ", got " + vocabSize);
    }
    if (minFrequency < 1) {
      throw new IllegalArgumentException("tokenizer minFrequency must be >= 1, got " + minFrequency);
    }
    if (sampleExamples < 1) {
      throw new IllegalArgumentException("tokenizer sampleExamples must be >= 1, got " + sampleExamples);
    }
  }

  /** A tokenizer without a chat template. */
  public TokenizerConfig(int vocabSize, int minFrequency, int sampleExamples, String file) {
    this(vocabSize, minFrequency, sampleExamples, file, null);
  }

  public static TokenizerConfig bpe(int vocabSize) {
    return new TokenizerConfig(vocabSize, 2, 4000, null);
  }

  /** These settings with a chat template saved with the tokenizer. */
  public TokenizerConfig withChatTemplate(ChatTemplate template) {
    return new TokenizerConfig(vocabSize, minFrequency, sampleExamples, file, template);
  }

  /** These settings training on texts of {@code n} examples. */
  public TokenizerConfig withSampleExamples(int n) {
    return new TokenizerConfig(vocabSize, minFrequency, n, file, chatTemplate);
  }

  /**
   * Byte-level tokens without merges (the 4 specials and 256 bytes): a word of letters is one token
   * per letter (after the leading-space marker), so every letter is a target of its own that all
   * words share, instead of one word-sized token per word.
   */
  public static TokenizerConfig bytes() {
    return bpe(BpeTrainer.BYTE_VOCAB);
  }
}
