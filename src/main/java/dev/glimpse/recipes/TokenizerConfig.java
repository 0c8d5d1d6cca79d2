package dev.glimpse.recipes;

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
    if (file == null && vocabSize < 260) {
      throw new IllegalArgumentException("tokenizer vocabSize must be >= 260, got " + vocabSize);
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
}
