package dev.glimpse.model;

import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;

/**
 * CLIP (Radford et al. 2021): an image tower and a text tower projected into one embedding space.
 *
 * @param vision the ViT (its post-norm is applied to the pooled CLS token only)
 * @param text the causal text transformer (its final norm is CLIP's {@code final_layer_norm})
 * @param vocabSize text vocabulary
 * @param maxTextPositions learned text positions
 * @param projectionDim width of the joint embedding space
 * @param eosTokenId end-of-text id; the text embedding is read at its first occurrence
 * @param poolAtHighestId read the text embedding at the highest id instead (original OpenAI CLIP,
 *     whose end-of-text token has the highest id; HF uses this when {@code eos_token_id == 2})
 */
public record ClipConfig(
    VisionConfig vision,
    TransformerConfig text,
    int vocabSize,
    int maxTextPositions,
    int projectionDim,
    int eosTokenId,
    boolean poolAtHighestId) implements ModelConfig {

  public static final String TYPE = "clip";

  public ClipConfig {
    if (vision == null || text == null) {
      throw new IllegalArgumentException("vision and text configs are required");
    }
    if (vocabSize <= 0 || maxTextPositions <= 0 || projectionDim <= 0) {
      throw new IllegalArgumentException("vocabSize, maxTextPositions and projectionDim must be > 0, got "
          + vocabSize + ", " + maxTextPositions + ", " + projectionDim);
    }
    if (eosTokenId < 0 || eosTokenId >= vocabSize) {
      throw new IllegalArgumentException("eosTokenId " + eosTokenId + " is outside the vocabulary of " + vocabSize);
    }
  }

  /**
   * A CLIP to train: the towers {@code vision} and {@code text}, a joint space of {@code projectionDim},
   * a text position table of {@code maxTextPositions}, the text embedding read at the first {@code
   * eosTokenId}; the vocabulary is set from the tokenizer when a run starts ({@link #withVocabSize}).
   */
  public static ClipConfig of(VisionConfig vision, TransformerConfig text, int maxTextPositions, int projectionDim,
      int eosTokenId) {
    return new ClipConfig(vision, text, eosTokenId + 1, maxTextPositions, projectionDim, eosTokenId, false);
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  @Override
  public ClipConfig withVocabSize(int n) {
    return with(b -> b.vocabSize = n);
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public ClipConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link ClipConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public VisionConfig vision;
    public TransformerConfig text;
    public int vocabSize;
    public int maxTextPositions;
    public int projectionDim;
    public int eosTokenId;
    public boolean poolAtHighestId;

    public Builder(ClipConfig from) {
      vision = from.vision;
      text = from.text;
      vocabSize = from.vocabSize;
      maxTextPositions = from.maxTextPositions;
      projectionDim = from.projectionDim;
      eosTokenId = from.eosTokenId;
      poolAtHighestId = from.poolAtHighestId;
    }

    public ClipConfig build() {
      return new ClipConfig(vision, text, vocabSize, maxTextPositions, projectionDim, eosTokenId, poolAtHighestId);
    }
  }

  @Override
  public int imageSize() {
    return vision.imageSize();
  }

  @Override
  public int maxTextLength() {
    return maxTextPositions;
  }
}
