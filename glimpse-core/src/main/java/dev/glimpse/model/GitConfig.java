package dev.glimpse.model;

import dev.glimpse.nn.ConvStem;
import dev.glimpse.nn.NormType;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import java.util.List;

/**
 * GIT: one image encoder, one projection, one text transformer over [image tokens ; text tokens]
 * with the seq2seq mask (image tokens bidirectional and blind to text; text causal, sees all image).
 *
 * @param vision the ViT image encoder
 * @param decoder the text transformer (its width is the model width)
 * @param vocabSize vocabulary size of the tokenizer
 * @param maxTextPositions size of the learned text position table
 * @param textEmbeddingNorm LayerNorm after word + position embeddings (BERT style, HF GIT)
 * @param projectionNorm LayerNorm after the visual projection (HF GIT: Linear + LayerNorm)
 * @param tieWordEmbeddings LM head shares the token embedding matrix
 * @param headBias LM head has a bias (HF GIT: yes, untied)
 * @param numTemporalEmbeddings video frames with a learned temporal embedding (0: images only)
 */
public record GitConfig(
    VisionConfig vision,
    TransformerConfig decoder,
    int vocabSize,
    int maxTextPositions,
    boolean textEmbeddingNorm,
    boolean projectionNorm,
    boolean tieWordEmbeddings,
    boolean headBias,
    int numTemporalEmbeddings) implements ModelConfig {

  public static final String TYPE = "git";

  public GitConfig {
    if (vision == null || decoder == null) {
      throw new IllegalArgumentException("vision and decoder configs are required");
    }
    if (vocabSize <= 0) {
      throw new IllegalArgumentException("vocabSize must be > 0, got " + vocabSize);
    }
    if (maxTextPositions <= 0) {
      throw new IllegalArgumentException("maxTextPositions must be > 0, got " + maxTextPositions);
    }
    if (numTemporalEmbeddings < 0) {
      throw new IllegalArgumentException("numTemporalEmbeddings must be >= 0, got " + numTemporalEmbeddings);
    }
  }

  /**
   * Our GIT: the image encoder {@code vision}, the text transformer {@code decoder}, a projection with
   * LayerNorm, a tied head, 64 text positions; the vocabulary size is set from the tokenizer when a
   * run starts ({@link #withVocabSize}).
   */
  public static GitConfig of(VisionConfig vision, TransformerConfig decoder) {
    return new GitConfig(vision, decoder, 1, 64, false, true, true, false, 0);
  }

  /** Benchmark config "tiny": D=256, 4+4 layers, 64x64 images with 8x8 patches (64 image tokens). */
  public static GitConfig tiny(int vocabSize) {
    return of(VisionConfig.vit(64, 8, TransformerConfig.preLn(256, 4, 4)), TransformerConfig.preLn(256, 4, 4))
        .withVocabSize(vocabSize);
  }

  /** Benchmark config "small": D=512, 6+6 layers, 64x64 images with 8x8 patches (64 image tokens). */
  public static GitConfig small(int vocabSize) {
    return of(VisionConfig.vit(64, 8, TransformerConfig.preLn(512, 6, 8)), TransformerConfig.preLn(512, 6, 8))
        .withVocabSize(vocabSize);
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  @Override
  public int imageSize() {
    return vision.imageSize();
  }

  @Override
  public int frames() {
    return Math.max(1, numTemporalEmbeddings);
  }

  @Override
  public int maxTextLength() {
    return maxTextPositions;
  }

  @Override
  public GitConfig withVocabSize(int n) {
    return with(b -> b.vocabSize = n);
  }

  /**
   * Multiply-adds of one forward pass for one example with {@code textTokens} text positions, counting
   * every matrix product (patch embedding, projections, attention scores and mixing, MLPs, LM head).
   * Training costs three times this (forward + backward).
   */
  public long forwardMacs(int textTokens) {
    long patches = (long) vision.gridSize() * vision.gridSize() * frames();
    long visionTokens = (long) vision.numTokens() * frames();
    TransformerConfig v = vision.encoder();
    long macs = vision.convStem()
        ? ConvStem.macs(vision.channels(), vision.stemStageChannels(), v.width(), vision.imageSize(),
            vision.imageSize(), vision.deepConvStem(), vision.patchifySize()) * frames()
        : patches * 3L * vision.patchSize() * vision.patchSize() * v.width();
    macs += visionTokens * v.matmulParamsPerToken() + (long) v.layers() * 2 * visionTokens * visionTokens * v.width()
        / frames();
    macs += visionTokens * v.width() * decoder.width();
    long length = visionTokens + textTokens;
    macs += length * decoder.matmulParamsPerToken() + (long) decoder.layers() * 2 * length * length * decoder.width();
    macs += (long) textTokens * decoder.width() * vocabSize;
    return macs;
  }

  /**
   * The same model with initial weights of standard deviation {@code std} in both stacks (and the
   * embeddings, projection and temporal embeddings, which follow the decoder's value).
   */
  public GitConfig withInitStd(double std) {
    return with(b -> {
      b.vision = vision.withEncoder(vision.encoder().withInitStd(std));
      b.decoder = decoder.withInitStd(std);
    });
  }

  /** The same model with a convolutional stem in the image encoder ({@link ConvStem}). */
  public GitConfig withConvStem() {
    return withStem(VisionConfig.CONV_STEM);
  }

  /** The same model with another image-encoder stem (see {@link VisionConfig#stem}). */
  public GitConfig withStem(String stem) {
    return with(b -> b.vision = vision.withStem(stem));
  }

  /** The same model with these channels per stage of its convolutional stem ({@link VisionConfig#stemChannels}). */
  public GitConfig withStemChannels(Integer... perStage) {
    return with(b -> b.vision = vision.withStemChannels(List.of(perStage)));
  }

  /**
   * The same model whose convolutional stem starts with a {@code k x k} stride-{@code k} convolution
   * ({@link VisionConfig#stemPatchify}) and has these channels per stage (none given: the default
   * schedule's stages at the same resolutions).
   */
  public GitConfig withStemPatchify(int k, Integer... perStage) {
    List<Integer> channels = perStage.length == 0 ? null : List.of(perStage);
    return with(b -> b.vision = vision.withStemPatchify(k, channels));
  }

  public GitConfig withMaxTextPositions(int n) {
    return with(b -> b.maxTextPositions = n);
  }

  public GitConfig withTemporalEmbeddings(int frames) {
    return with(b -> b.numTemporalEmbeddings = frames);
  }

  public int width() {
    return decoder.width();
  }

  /** Visual tokens per image at the trained size. */
  public int imageTokens() {
    return vision.numTokens();
  }

  static NormType textNorm() {
    return NormType.LAYER_NORM;
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public GitConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link GitConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public VisionConfig vision;
    public TransformerConfig decoder;
    public int vocabSize;
    public int maxTextPositions;
    public boolean textEmbeddingNorm;
    public boolean projectionNorm;
    public boolean tieWordEmbeddings;
    public boolean headBias;
    public int numTemporalEmbeddings;

    public Builder(GitConfig from) {
      vision = from.vision;
      decoder = from.decoder;
      vocabSize = from.vocabSize;
      maxTextPositions = from.maxTextPositions;
      textEmbeddingNorm = from.textEmbeddingNorm;
      projectionNorm = from.projectionNorm;
      tieWordEmbeddings = from.tieWordEmbeddings;
      headBias = from.headBias;
      numTemporalEmbeddings = from.numTemporalEmbeddings;
    }

    public GitConfig build() {
      return new GitConfig(vision, decoder, vocabSize, maxTextPositions, textEmbeddingNorm, projectionNorm,
          tieWordEmbeddings, headBias, numTemporalEmbeddings);
    }
  }
}
