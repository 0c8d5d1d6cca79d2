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

  /** Our GIT: pre-LN ViT and decoder (pre-LN, final norm, GELU), tied head, projection with LayerNorm. */
  public static GitConfig of(int imageSize, int patchSize, int visionWidth, int visionLayers, int visionHeads,
      int width, int layers, int heads, int vocabSize, int maxTextPositions) {
    TransformerConfig visionStack = TransformerConfig.preLn(visionWidth, visionLayers, visionHeads);
    VisionConfig vision = new VisionConfig(imageSize, patchSize, 3, visionStack, false, true, false, false);
    return new GitConfig(vision, TransformerConfig.preLn(width, layers, heads), vocabSize, maxTextPositions,
        false, true, true, false, 0);
  }

  /** Benchmark config "tiny": D=256, 4+4 layers, 64x64 images with 8x8 patches (64 image tokens). */
  public static GitConfig tiny(int vocabSize) {
    return of(64, 8, 256, 4, 4, 256, 4, 4, vocabSize, 64);
  }

  /** Benchmark config "small": D=512, 6+6 layers, 64x64 images with 8x8 patches (64 image tokens). */
  public static GitConfig small(int vocabSize) {
    return of(64, 8, 512, 6, 8, 512, 6, 8, vocabSize, 64);
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
    return new GitConfig(vision, decoder, n, maxTextPositions, textEmbeddingNorm, projectionNorm,
        tieWordEmbeddings, headBias, numTemporalEmbeddings);
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
    return new GitConfig(vision.withEncoder(vision.encoder().withInitStd(std)), decoder.withInitStd(std), vocabSize,
        maxTextPositions, textEmbeddingNorm, projectionNorm, tieWordEmbeddings, headBias, numTemporalEmbeddings);
  }

  /** The same model with a convolutional stem in the image encoder ({@link ConvStem}). */
  public GitConfig withConvStem() {
    return withStem(VisionConfig.CONV_STEM);
  }

  /** The same model with another image-encoder stem (see {@link VisionConfig#stem}). */
  public GitConfig withStem(String stem) {
    return new GitConfig(vision.withStem(stem), decoder, vocabSize, maxTextPositions,
        textEmbeddingNorm, projectionNorm, tieWordEmbeddings, headBias, numTemporalEmbeddings);
  }

  /** The same model with these channels per stage of its convolutional stem ({@link VisionConfig#stemChannels}). */
  public GitConfig withStemChannels(Integer... perStage) {
    return new GitConfig(vision.withStemChannels(List.of(perStage)), decoder, vocabSize, maxTextPositions,
        textEmbeddingNorm, projectionNorm, tieWordEmbeddings, headBias, numTemporalEmbeddings);
  }

  /**
   * The same model whose convolutional stem starts with a {@code k x k} stride-{@code k} convolution
   * ({@link VisionConfig#stemPatchify}) and has these channels per stage (none given: the default
   * schedule's stages at the same resolutions).
   */
  public GitConfig withStemPatchify(int k, Integer... perStage) {
    List<Integer> channels = perStage.length == 0 ? null : List.of(perStage);
    return new GitConfig(vision.withStemPatchify(k, channels), decoder, vocabSize, maxTextPositions,
        textEmbeddingNorm, projectionNorm, tieWordEmbeddings, headBias, numTemporalEmbeddings);
  }

  public GitConfig withTemporalEmbeddings(int frames) {
    return new GitConfig(vision, decoder, vocabSize, maxTextPositions, textEmbeddingNorm, projectionNorm,
        tieWordEmbeddings, headBias, frames);
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
}
