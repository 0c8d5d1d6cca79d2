package dev.glimpse.recipes;

import dev.glimpse.tokenize.BpeTrainer;

/**
 * The tokenizer of a run: a byte-level BPE trained on training texts, or an existing tokenizer.json.
 *
 * @param vocabSize upper bound on the trained vocabulary
 * @param minFrequency pair frequency needed for a merge
 * @param sampleExamples training examples whose texts train the tokenizer
 * @param file an existing HuggingFace tokenizer.json to use instead of training, or null
 */
public record TokenizerConfig(int vocabSize, int minFrequency, int sampleExamples, String file) {
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

  public static TokenizerConfig bpe(int vocabSize) {
    return new TokenizerConfig(vocabSize, 2, 4000, null);
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
