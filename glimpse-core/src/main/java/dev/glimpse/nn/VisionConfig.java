package dev.glimpse.nn;

import java.util.List;

/**
 * A ViT image encoder.
 *
 * @param imageSize trained square image side; other sizes interpolate the position table
 * @param patchSize patch side in pixels
 * @param channels input channels (3)
 * @param encoder the transformer stack (its width is the token width)
 * @param classToken prepend a learned CLS token (CLIP, GIT, BLIP-2)
 * @param patchBias the patch convolution has a bias (BLIP-2 yes, CLIP no)
 * @param preNorm a LayerNorm on the embeddings before the first block (CLIP "pre_layrnorm")
 * @param postNorm a LayerNorm after the encoder: {@link VisionTransformer#forward} applies it to all
 *     output tokens (GIT, BLIP-2); CLIP applies it to the pooled CLS token only and LLaVA not at all
 *     (both use {@link VisionTransformer#encode}); for pre-LN stacks with a final norm usually false
 * @param stem how pixels become tokens: {@value #PATCH_STEM} (one p x p convolution, as ViT, CLIP,
 *     GIT; the default, also when the field is missing from a saved config), {@value #CONV_STEM}
 *     ({@link ConvStem}: stride-2 3x3 convolutions, for small encoders trained from scratch) or
 *     {@value #DEEP_CONV_STEM} (the deep {@link ConvStem}: twice the channels and a stride-1 3x3
 *     convolution after each stride-2 one; fine detail such as letters)
 * @param stemChannels output channels of the convolutional stem's stages, first to last, one per
 *     stride-2 layer ({@code log2(patchSize)} of them); null (the default, also when the field is
 *     missing from a saved config) for {@link ConvStem}'s doubling schedule. The first stage runs
 *     at half the input resolution and costs the most per channel: 16 channels there instead of the
 *     deep stem's 32 give its stride-1 convolution a quarter of the multiply-adds (see
 *     docs/experiments/scene-text-reading.md); with {@code stemPatchify} one per stage after the
 *     patchify layer
 * @param stemPatchify null (the default, also when the field is missing from a saved config), or
 *     {@code k}: the convolutional stem starts with a non-overlapping {@code k x k} convolution of
 *     stride {@code k} (ConvNeXt's "patchify" stem) in place of its first {@code log2(k)} stride-2 3x3
 *     layers, so it has {@code 1 + log2(patchSize / k)} stages. The stride-2 layers at high
 *     resolution have few channels, which CPUs run far below their matmul speed; one patchify layer
 *     costs a fraction of them (see docs/experiments/scene-text-reading.md)
 */
public record VisionConfig(
    int imageSize,
    int patchSize,
    int channels,
    TransformerConfig encoder,
    boolean classToken,
    boolean patchBias,
    boolean preNorm,
    boolean postNorm,
    String stem,
    List<Integer> stemChannels,
    Integer stemPatchify) {
  public static final String PATCH_STEM = "patch";
  public static final String CONV_STEM = "conv";
  public static final String DEEP_CONV_STEM = "conv-deep";

  public VisionConfig {
    if (stem == null) {
      stem = PATCH_STEM; // configs written before stems existed
    }
    if (!stem.equals(PATCH_STEM) && !stem.equals(CONV_STEM) && !stem.equals(DEEP_CONV_STEM)) {
      throw new IllegalArgumentException("vision stem must be '" + PATCH_STEM + "', '" + CONV_STEM + "' or '"
          + DEEP_CONV_STEM + "', got '" + stem + "'");
    }
    if (!stem.equals(PATCH_STEM)) {
      ConvStem.layersFor(patchSize); // validates the patch size
    }
    if (stemPatchify != null) {
      requireConvStem(stem, "stemPatchify", stemPatchify);
      ConvStem.stagesFor(patchSize, stemPatchify); // validates it
    }
    if (stemChannels != null) {
      requireConvStem(stem, "stemChannels", stemChannels);
      int stages = ConvStem.stagesFor(patchSize, stemPatchify == null ? 0 : stemPatchify);
      if (stemChannels.size() != stages || stemChannels.stream().anyMatch(c -> c == null || c <= 0)) {
        throw new IllegalArgumentException("vision stemChannels must be " + stages + " positive channel counts (one"
            + " per stage for patchSize " + patchSize + (stemPatchify == null ? "" : " and stemPatchify " + stemPatchify)
            + "), got " + stemChannels);
      }
      stemChannels = List.copyOf(stemChannels);
    }
    if (imageSize <= 0 || patchSize <= 0 || imageSize % patchSize != 0) {
      throw new IllegalArgumentException("imageSize " + imageSize + " must be a positive multiple of patchSize "
          + patchSize);
    }
    if (channels <= 0) {
      throw new IllegalArgumentException("channels must be > 0, got " + channels);
    }
  }

  // Options of the convolutional stem are refused with the patch stem.
  private static void requireConvStem(String stem, String field, Object value) {
    if (stem.equals(PATCH_STEM)) {
      throw new IllegalArgumentException("vision " + field + " " + value + " needs a convolutional stem ('"
          + CONV_STEM + "' or '" + DEEP_CONV_STEM + "'), but the stem is '" + stem + "'");
    }
  }

  /** A ViT with the patch-convolution stem. */
  public VisionConfig(int imageSize, int patchSize, int channels, TransformerConfig encoder, boolean classToken,
      boolean patchBias, boolean preNorm, boolean postNorm) {
    this(imageSize, patchSize, channels, encoder, classToken, patchBias, preNorm, postNorm, PATCH_STEM, null, null);
  }

  /** Our ViT: the patch-convolution stem with a bias, no CLS token, no extra norms around the stack. */
  public static VisionConfig vit(int imageSize, int patchSize, TransformerConfig encoder) {
    return new VisionConfig(imageSize, patchSize, 3, encoder, false, true, false, false);
  }

  /** The same encoder with another transformer stack. */
  public VisionConfig withEncoder(TransformerConfig stack) {
    return with(b -> b.encoder = stack);
  }

  /**
   * The same encoder with another stem ({@value #PATCH_STEM}, {@value #CONV_STEM} or {@value
   * #DEEP_CONV_STEM}) and its default layers and channels.
   */
  public VisionConfig withStem(String newStem) {
    return with(b -> {
      b.stem = newStem;
      b.stemChannels = null;
      b.stemPatchify = null;
    });
  }

  /** The same convolutional stem with these channels per stage ({@link #stemChannels}). */
  public VisionConfig withStemChannels(List<Integer> perStage) {
    return with(b -> b.stemChannels = perStage);
  }

  /**
   * The same convolutional stem starting with a {@code k x k} stride-{@code k} convolution ({@link
   * #stemPatchify}) and these channels per stage (null: the default schedule's last stages).
   */
  public VisionConfig withStemPatchify(int k, List<Integer> perStage) {
    return with(b -> {
      b.stemChannels = perStage;
      b.stemPatchify = k;
    });
  }

  /**
   * The stem's channels per stage: {@link #stemChannels}, or {@link ConvStem}'s default schedule (with
   * {@link #stemPatchify}, its stages at the same resolutions).
   */
  public List<Integer> stemStageChannels() {
    if (stemChannels != null) {
      return stemChannels;
    }
    List<Integer> full = ConvStem.defaultChannels(patchSize, width(), deepConvStem());
    return full.subList(full.size() - ConvStem.stagesFor(patchSize, patchifySize()), full.size());
  }

  /** The stem's patchify size, 0 without one ({@link #stemPatchify}). */
  public int patchifySize() {
    return stemPatchify == null ? 0 : stemPatchify;
  }

  /** Either convolutional stem ({@value #CONV_STEM} or {@value #DEEP_CONV_STEM}). */
  public boolean convStem() {
    return CONV_STEM.equals(stem) || DEEP_CONV_STEM.equals(stem);
  }

  /** The deep convolutional stem ({@value #DEEP_CONV_STEM}). */
  public boolean deepConvStem() {
    return DEEP_CONV_STEM.equals(stem);
  }

  public int gridSize() {
    return imageSize / patchSize;
  }

  /** Tokens per image at the trained size (patches plus CLS). */
  public int numTokens() {
    return gridSize() * gridSize() + (classToken ? 1 : 0);
  }

  public int width() {
    return encoder.width();
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public VisionConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link VisionConfig}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public int imageSize;
    public int patchSize;
    public int channels;
    public TransformerConfig encoder;
    public boolean classToken;
    public boolean patchBias;
    public boolean preNorm;
    public boolean postNorm;
    public String stem;
    public List<Integer> stemChannels;
    public Integer stemPatchify;

    public Builder(VisionConfig from) {
      imageSize = from.imageSize;
      patchSize = from.patchSize;
      channels = from.channels;
      encoder = from.encoder;
      classToken = from.classToken;
      patchBias = from.patchBias;
      preNorm = from.preNorm;
      postNorm = from.postNorm;
      stem = from.stem;
      stemChannels = from.stemChannels;
      stemPatchify = from.stemPatchify;
    }

    public VisionConfig build() {
      return new VisionConfig(imageSize, patchSize, channels, encoder, classToken, patchBias, preNorm, postNorm,
          stem, stemChannels, stemPatchify);
    }
  }
}
