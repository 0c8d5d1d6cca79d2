package dev.glimpse.model;

import dev.glimpse.nn.TransformerConfig;

/**
 * A decoder-only language model, the part every connector design joins vision to (the survey's
 * "LLM"): token embedding, a transformer stack, an LM head. LLaMA-style stacks use rotary positions
 * (no position table); OPT-style ones a learned table with an index offset. Also a design of its own
 * (type {@value #TYPE}): a text-only model trained by {@code lm-quick}/{@code lm-tiny} and then loaded,
 * frozen, by the connector recipes ({@code glimpse train --language-model DIR}).
 *
 * @param text the stack (pre-norm RMSNorm, SwiGLU, rotary and grouped-query attention for LLaMA)
 * @param vocabSize embedding rows
 * @param maxTextPositions longest sequence (the size of a learned position table)
 * @param positionOffset index offset of a learned position table (OPT: 2); 0 with rotary positions
 * @param tieWordEmbeddings the LM head shares the token embedding
 */
public record LanguageModelConfig(TransformerConfig text, int vocabSize, int maxTextPositions, int positionOffset,
    boolean tieWordEmbeddings) implements ModelConfig {

  public static final String TYPE = "lm";

  public LanguageModelConfig {
    if (text == null) {
      throw new IllegalArgumentException("the language model's text stack is required");
    }
    if (vocabSize <= 0 || maxTextPositions <= 0 || positionOffset < 0) {
      throw new IllegalArgumentException("vocabSize and maxTextPositions must be > 0 and positionOffset >= 0, got "
          + vocabSize + ", " + maxTextPositions + ", " + positionOffset);
    }
  }

  /** A LLaMA-style model: rotary positions, untied head. */
  public static LanguageModelConfig llama(TransformerConfig text, int maxTextPositions) {
    return new LanguageModelConfig(text, 1, maxTextPositions, 0, false);
  }

  /** Whether positions come from a learned table (OPT) rather than rotary attention (LLaMA). */
  public boolean learnedPositions() {
    return text.ropeTheta() == 0;
  }

  /** Rows of the position table (0 without one). */
  public int positionTableSize() {
    return learnedPositions() ? maxTextPositions : 0;
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  @Override
  public LanguageModelConfig withVocabSize(int n) {
    return with(b -> b.vocabSize = n);
  }

  /** A text model reads no images; 1 keeps the checkpoint's image settings valid. */
  @Override
  public int imageSize() {
    return 1;
  }

  @Override
  public int maxTextLength() {
    return maxTextPositions;
  }

  /** Parameters that are not embedding rows or the head: the stack's matrices and norms. */
  public long stackParameters() {
    return text.matmulParamsPerToken();
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public LanguageModelConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link LanguageModelConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public TransformerConfig text;
    public int vocabSize;
    public int maxTextPositions;
    public int positionOffset;
    public boolean tieWordEmbeddings;

    public Builder(LanguageModelConfig from) {
      text = from.text;
      vocabSize = from.vocabSize;
      maxTextPositions = from.maxTextPositions;
      positionOffset = from.positionOffset;
      tieWordEmbeddings = from.tieWordEmbeddings;
    }

    public LanguageModelConfig build() {
      return new LanguageModelConfig(text, vocabSize, maxTextPositions, positionOffset, tieWordEmbeddings);
    }
  }
}
