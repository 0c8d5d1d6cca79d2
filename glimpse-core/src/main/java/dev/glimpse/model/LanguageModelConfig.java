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
 * @param wordEmbedWidth width of the token embedding (and of the head's input) when it differs from the
 *     stack's: OPT's {@code word_embed_proj_dim} (opt-350m: 512 against 1024), bridged by a linear
 *     {@code project_in} before the stack and {@code project_out} after it; 0 when they are equal
 */
public record LanguageModelConfig(TransformerConfig text, int vocabSize, int maxTextPositions, int positionOffset,
    boolean tieWordEmbeddings, int wordEmbedWidth) implements ModelConfig {

  public static final String TYPE = "lm";

  public LanguageModelConfig {
    if (text == null) {
      throw new IllegalArgumentException("the language model's text stack is required");
    }
    if (vocabSize <= 0 || maxTextPositions <= 0 || positionOffset < 0) {
      throw new IllegalArgumentException("vocabSize and maxTextPositions must be > 0 and positionOffset >= 0, got "
          + vocabSize + ", " + maxTextPositions + ", " + positionOffset);
    }
    if (wordEmbedWidth < 0) {
      throw new IllegalArgumentException("wordEmbedWidth must be >= 0 (0: the stack's width), got " + wordEmbedWidth);
    }
    if (wordEmbedWidth == text.width()) {
      wordEmbedWidth = 0;
    }
  }

  /** A model whose token embedding is as wide as its stack. */
  public LanguageModelConfig(TransformerConfig text, int vocabSize, int maxTextPositions, int positionOffset,
      boolean tieWordEmbeddings) {
    this(text, vocabSize, maxTextPositions, positionOffset, tieWordEmbeddings, 0);
  }

  /** A LLaMA-style model: rotary positions, untied head. */
  public static LanguageModelConfig llama(TransformerConfig text, int maxTextPositions) {
    return new LanguageModelConfig(text, 1, maxTextPositions, 0, false);
  }

  /** Whether positions come from a learned table (OPT) rather than rotary attention (LLaMA). */
  public boolean learnedPositions() {
    return text.ropeTheta() == 0;
  }

  /**
   * Width of the token embedding: what a connector projects visual tokens to (they sit among the
   * token embeddings) and what the head reads.
   */
  public int embeddingWidth() {
    return wordEmbedWidth == 0 ? text.width() : wordEmbedWidth;
  }

  /** Whether the embedding width differs from the stack's (OPT's project_in / project_out exist). */
  public boolean projectsEmbeddings() {
    return wordEmbedWidth != 0;
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
    public int wordEmbedWidth;

    public Builder(LanguageModelConfig from) {
      text = from.text;
      vocabSize = from.vocabSize;
      maxTextPositions = from.maxTextPositions;
      positionOffset = from.positionOffset;
      tieWordEmbeddings = from.tieWordEmbeddings;
      wordEmbedWidth = from.wordEmbedWidth;
    }

    public LanguageModelConfig build() {
      return new LanguageModelConfig(text, vocabSize, maxTextPositions, positionOffset, tieWordEmbeddings,
          wordEmbedWidth);
    }
  }
}
