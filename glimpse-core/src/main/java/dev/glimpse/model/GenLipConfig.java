package dev.glimpse.model;

import dev.glimpse.nn.TransformerConfig;
import java.util.Arrays;

/**
 * GenLIP (Fang et al. 2026, "Let ViT Speak"): one transformer over [visual patch tokens ; text tokens]
 * with the prefix-LM mask, trained only with language modelling. Positions are 2D rotary for every
 * token (patches at their grid cell, text on the diagonal from {@code textPositionStart}), so the same
 * weights run at any grid: a fixed square input (stage 1) or native aspect ratio under a patch budget
 * (stage 2).
 *
 * @param imageSize square input side at fixed resolution (images are letterboxed to it)
 * @param patchSize patch side in pixels
 * @param transformer the one stack; its {@code ropeTheta} (> 0) is the 2D rotary base
 * @param vocabSize vocabulary size
 * @param maxTextPositions longest text sequence
 * @param maxPatches native resolution: patch budget per image at evaluation; 0 = fixed resolution
 * @param trainBudgets native resolution: budgets drawn per training batch (multi-resolution); empty = maxPatches
 * @param packTokens native resolution: row capacity of packed training batches (0: the longest sequence
 *     of each batch; attention runs over whole rows, so longer rows cost quadratically more)
 * @param textPositionStart 2D rotary position of the first text token on both axes; beyond any grid side
 */
public record GenLipConfig(
    int imageSize,
    int patchSize,
    TransformerConfig transformer,
    int vocabSize,
    int maxTextPositions,
    int maxPatches,
    int[] trainBudgets,
    int packTokens,
    int textPositionStart) implements ModelConfig {

  public static final String TYPE = "genlip";

  public GenLipConfig {
    if (transformer == null) {
      throw new IllegalArgumentException("transformer config is required");
    }
    if (patchSize <= 0 || imageSize <= 0 || imageSize % patchSize != 0) {
      throw new IllegalArgumentException("imageSize " + imageSize + " must be a positive multiple of patchSize "
          + patchSize);
    }
    if (!(transformer.ropeTheta() > 0)) {
      throw new IllegalArgumentException("transformer.ropeTheta must be > 0 (GenLIP uses 2D rotary positions)");
    }
    if (transformer.headDim() % 4 != 0) {
      throw new IllegalArgumentException("head dimension " + transformer.headDim()
          + " must be divisible by 4 (2D rotary positions)");
    }
    if (vocabSize <= 0) {
      throw new IllegalArgumentException("vocabSize must be > 0, got " + vocabSize);
    }
    if (maxTextPositions <= 0) {
      throw new IllegalArgumentException("maxTextPositions must be > 0, got " + maxTextPositions);
    }
    if (maxPatches < 0) {
      throw new IllegalArgumentException("maxPatches must be >= 0, got " + maxPatches);
    }
    trainBudgets = trainBudgets == null ? new int[0] : trainBudgets.clone();
    for (int b : trainBudgets) {
      if (b <= 0) {
        throw new IllegalArgumentException("trainBudgets must be > 0, got " + Arrays.toString(trainBudgets));
      }
    }
    if (trainBudgets.length > 0 && maxPatches == 0) {
      throw new IllegalArgumentException("trainBudgets need maxPatches > 0 (native resolution)");
    }
    if (packTokens < 0) {
      throw new IllegalArgumentException("packTokens must be >= 0, got " + packTokens);
    }
    if (textPositionStart <= 0) {
      throw new IllegalArgumentException("textPositionStart must be > 0, got " + textPositionStart);
    }
  }

  /**
   * GenLIP at fixed resolution on {@code stack} with 2D rotary base 100 (grids and captions here span
   * tens of positions, so a smaller base than LLaMA's 10000 keeps every frequency useful); 64 text
   * positions, the vocabulary set from the tokenizer when a run starts.
   */
  public static GenLipConfig of(int imageSize, int patchSize, TransformerConfig stack) {
    return new GenLipConfig(imageSize, patchSize, stack.with(t -> t.ropeTheta = 100), 1, 64, 0, new int[0], 0, 64);
  }

  public GenLipConfig withMaxTextPositions(int n) {
    return with(b -> b.maxTextPositions = n);
  }

  /** Native aspect ratio with {@code maxPatches} per image at evaluation, training budgets drawn from {@code budgets}. */
  public GenLipConfig withNativeResolution(int patches, int... budgets) {
    return with(b -> {
      b.maxPatches = patches;
      b.trainBudgets = budgets;
    });
  }

  public GenLipConfig withInitStd(double std) {
    return with(b -> b.transformer = transformer.withInitStd(std));
  }

  public boolean isNative() {
    return maxPatches > 0;
  }

  /** Budgets a training batch draws from (native resolution). */
  public int[] budgets() {
    return trainBudgets.length == 0 ? new int[] {maxPatches} : trainBudgets.clone();
  }

  /** Row capacity of packed training batches; -1 ({@code PackedBatcher.LONGEST}): each batch's longest sequence. */
  public int rowTokens() {
    return packTokens > 0 ? packTokens : -1;
  }

  /** The same model packing training rows of {@code tokens} (0: each batch's longest sequence). */
  public GenLipConfig withPackTokens(int tokens) {
    return with(b -> b.packTokens = tokens);
  }

  /** Patch grid side at fixed resolution. */
  public int gridSize() {
    return imageSize / patchSize;
  }

  public int width() {
    return transformer.width();
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  @Override
  public int imageSize() {
    return imageSize;
  }

  @Override
  public int maxTextLength() {
    return maxTextPositions;
  }

  @Override
  public GenLipConfig withVocabSize(int n) {
    return with(b -> b.vocabSize = n);
  }

  /**
   * Stage 2: a GenLIP recipe continuing these weights keeps this architecture and vocabulary and takes
   * the recipe's input handling (native resolution, budgets, packing).
   */
  @Override
  public ModelConfig continuedUnder(ModelConfig recipeModel) {
    if (!(recipeModel instanceof GenLipConfig r)) {
      return this;
    }
    return with(b -> {
      b.maxPatches = r.maxPatches;
      b.trainBudgets = r.trainBudgets;
      b.packTokens = r.packTokens;
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GenLipConfig c && imageSize == c.imageSize && patchSize == c.patchSize
        && transformer.equals(c.transformer) && vocabSize == c.vocabSize && maxTextPositions == c.maxTextPositions
        && maxPatches == c.maxPatches && Arrays.equals(trainBudgets, c.trainBudgets) && packTokens == c.packTokens
        && textPositionStart == c.textPositionStart;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(imageSize, patchSize, transformer, vocabSize, maxTextPositions, maxPatches,
        Arrays.hashCode(trainBudgets), packTokens, textPositionStart);
  }

  @Override
  public String toString() {
    return "GenLipConfig[imageSize=" + imageSize + ", patchSize=" + patchSize + ", transformer=" + transformer
        + ", vocabSize=" + vocabSize + ", maxTextPositions=" + maxTextPositions + ", maxPatches=" + maxPatches
        + ", trainBudgets=" + Arrays.toString(trainBudgets) + ", packTokens=" + packTokens
        + ", textPositionStart=" + textPositionStart + "]";
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public GenLipConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link GenLipConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public int imageSize;
    public int patchSize;
    public TransformerConfig transformer;
    public int vocabSize;
    public int maxTextPositions;
    public int maxPatches;
    public int[] trainBudgets;
    public int packTokens;
    public int textPositionStart;

    public Builder(GenLipConfig from) {
      imageSize = from.imageSize;
      patchSize = from.patchSize;
      transformer = from.transformer;
      vocabSize = from.vocabSize;
      maxTextPositions = from.maxTextPositions;
      maxPatches = from.maxPatches;
      trainBudgets = from.trainBudgets;
      packTokens = from.packTokens;
      textPositionStart = from.textPositionStart;
    }

    public GenLipConfig build() {
      return new GenLipConfig(imageSize, patchSize, transformer, vocabSize, maxTextPositions, maxPatches,
          trainBudgets, packTokens, textPositionStart);
    }
  }
}
