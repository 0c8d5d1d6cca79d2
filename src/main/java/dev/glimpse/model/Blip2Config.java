package dev.glimpse.model;

import dev.glimpse.connect.QFormerConfig;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;

/**
 * BLIP-2 (Li et al. 2023): a ViT, a Q-Former that turns its tokens into a few query tokens, a linear
 * projection, and a decoder-only language model (OPT) reading the queries in place of image tokens.
 *
 * @param vision the ViT (post-norm applied to all tokens)
 * @param qformer the querying transformer
 * @param text the language model stack (OPT: pre-LN, ReLU, biases, final norm)
 * @param vocabSize language model vocabulary (includes the image token)
 * @param maxTextPositions learned positions of the language model
 * @param positionOffset index offset of the position table (OPT: 2)
 * @param imageTokenId the id whose embedding rows the query tokens replace
 * @param tieWordEmbeddings LM head shares the token embedding (OPT: yes)
 */
public record Blip2Config(
    VisionConfig vision,
    QFormerConfig qformer,
    TransformerConfig text,
    int vocabSize,
    int maxTextPositions,
    int positionOffset,
    int imageTokenId,
    boolean tieWordEmbeddings) implements ModelConfig {

  public static final String TYPE = "blip-2";

  public Blip2Config {
    if (vision == null || qformer == null || text == null) {
      throw new IllegalArgumentException("vision, qformer and text configs are required");
    }
    if (qformer.memoryWidth() != vision.width()) {
      throw new IllegalArgumentException("qformer memoryWidth " + qformer.memoryWidth() + " must equal the vision width "
          + vision.width());
    }
    if (vocabSize <= 0 || maxTextPositions <= 0 || positionOffset < 0) {
      throw new IllegalArgumentException("vocabSize and maxTextPositions must be > 0 and positionOffset >= 0");
    }
    if (imageTokenId < 0 || imageTokenId >= vocabSize) {
      throw new IllegalArgumentException("imageTokenId " + imageTokenId + " is outside the vocabulary of " + vocabSize);
    }
  }

  /** Visual tokens per image: the number of queries. */
  public int imageTokens() {
    return qformer.numQueries();
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  @Override
  public Blip2Config withVocabSize(int n) {
    return new Blip2Config(vision, qformer, text, Math.max(n, imageTokenId + 1), maxTextPositions, positionOffset,
        imageTokenId, tieWordEmbeddings);
  }

  @Override
  public int imageSize() {
    return vision.imageSize();
  }

  @Override
  public int maxTextLength() {
    return maxTextPositions - imageTokens();
  }
}
