package dev.glimpse.model;

import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;

/**
 * VLV (Zhang et al. 2025, Vision-Language-Vision auto-encoder): a ViT and a query adapter ({@code
 * queries} learned queries through a few cross-attending transformer layers) read an image into a
 * caption embedding z of {@code queries} vectors; a projection puts z in the input-embedding space of
 * the decoder's frozen CLIP text encoder, where it stands in for word embeddings; the frozen diffusion
 * decoder reconstructs the image from the resulting context (stage 1, from images alone). Stage 2 adds a
 * caption decoder that reads that context: a pre-trained language model with its own tokenizer ({@link
 * VlvCaptionConfig}). See docs/vlv.md.
 *
 * @param vision the image encoder (its image size is the decoder's)
 * @param queries N_q, the number of caption-embedding vectors (at most the text encoder's positions, {@link
 *     #checkFitsDecoder})
 * @param adapter the query adapter's stack (self-attention among queries, cross-attention to the image)
 * @param decoder the frozen text-to-image model (its text encoder and denoiser)
 * @param captioner the caption decoder, null before stage 2
 */
public record VlvConfig(VisionConfig vision, int queries, TransformerConfig adapter, DiffusionConfig decoder,
    VlvCaptionConfig captioner) implements ModelConfig {
  public static final String TYPE = "vlv";

  public VlvConfig {
    if (vision == null || adapter == null || decoder == null) {
      throw new IllegalArgumentException("a VLV model needs vision, adapter and decoder configs");
    }
    if (queries < 1) {
      throw new IllegalArgumentException("queries must be >= 1, got " + queries);
    }
  }

  /**
   * Refuses an encoder that does not fit its decoder: more queries than the decoder's text encoder has
   * positions (the queries stand in for words), or another image size. Checked where the real decoder
   * is in place ({@code --part decoder=}, building the model), not when a recipe file is read, so that a
   * recipe file can ask for more queries or another image size than the recipe's placeholder decoder has.
   */
  public void checkFitsDecoder() {
    if (queries > decoder.textEncoder().maxPositions()) {
      throw new IllegalArgumentException(queries + " queries do not fit the decoder's text encoder, which has "
          + decoder.textEncoder().maxPositions() + " positions (the queries stand in for its words)");
    }
    if (vision.imageSize() != decoder.imageSize()) {
      throw new IllegalArgumentException("the encoder's image size (" + vision.imageSize() + ") must be the decoder's ("
          + decoder.imageSize() + ")");
    }
    if (captioner != null && captioner.languageModel().maxTextPositions() < queries + 3) {
      throw new IllegalArgumentException("the language model's " + captioner.languageModel().maxTextPositions()
          + " positions leave no room for a caption after the " + queries + " prefix vectors");
    }
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  /**
   * The vocabulary of the model's tokenizer: before stage 2 the decoder's (its CLIP text encoder's), from
   * stage 2 the language model's, which writes the captions (the decoder keeps its own tokenizer, saved
   * beside it: {@link VlvModel#decoderHasOwnTokenizer}).
   */
  @Override
  public int vocabSize() {
    return captioner != null ? captioner.languageModel().vocabSize() : decoder.vocabSize();
  }

  @Override
  public VlvConfig withVocabSize(int n) {
    return captioner != null ? withCaptioner(new VlvCaptionConfig(captioner.languageModel().withVocabSize(n)))
        : withDecoder(decoder.withVocabSize(n));
  }

  public VlvConfig withDecoder(DiffusionConfig d) {
    return new VlvConfig(vision, queries, adapter, d, captioner);
  }

  public VlvConfig withQueries(int n) {
    return new VlvConfig(vision, n, adapter, decoder, captioner);
  }

  public VlvConfig withCaptioner(VlvCaptionConfig c) {
    return new VlvConfig(vision, queries, adapter, decoder, c);
  }

  /** {@code stage1}'s encoder and decoder with this model's caption decoder (stage 2 from a stage-1 model). */
  public VlvConfig withEncoderOf(VlvConfig stage1) {
    return new VlvConfig(stage1.vision, stage1.queries, stage1.adapter, stage1.decoder, captioner);
  }

  /**
   * Fine-tuning a VLV checkpoint ({@code train --init}) keeps its model; a stage-1 checkpoint cannot
   * become a stage-2 model this way (the caption decoder would have no weights): stage 2 takes it as
   * its autoencoder part.
   */
  @Override
  public ModelConfig continuedUnder(ModelConfig recipeModel) {
    if (captioner == null && recipeModel instanceof VlvConfig vlv && vlv.captioner() != null) {
      throw new dev.glimpse.util.GlimpseException("a VLV stage-1 checkpoint starts stage 2 as its autoencoder: use "
          + "--part autoencoder=DIR instead of --init");
    }
    return this;
  }

  @Override
  public int imageSize() {
    return vision.imageSize();
  }

  /** From stage 2: the language model's positions less the N_q prefix vectors before the caption. */
  @Override
  public int maxTextLength() {
    return captioner != null ? captioner.languageModel().maxTextPositions() - queries : decoder.maxTextLength();
  }
}
