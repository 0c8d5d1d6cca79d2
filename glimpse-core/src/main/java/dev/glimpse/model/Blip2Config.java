package dev.glimpse.model;

import dev.glimpse.connect.QFormerConfig;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;

/**
 * BLIP-2 (Li et al. 2023): a ViT, a Q-Former that turns its tokens into a few query tokens, a linear
 * projection, and a decoder-only language model (OPT) reading the queries in place of image tokens.
 *
 * @param vision the ViT (post-norm applied to all tokens); null when {@code genlipVision} is set
 * @param qformer the querying transformer
 * @param text the language model stack (OPT: pre-LN, ReLU, biases, final norm)
 * @param vocabSize language model vocabulary (includes the image token)
 * @param maxTextPositions learned positions of the language model
 * @param positionOffset index offset of the position table (OPT: 2)
 * @param imageTokenId the id whose embedding rows the query tokens replace
 * @param tieWordEmbeddings LM head shares the token embedding (OPT: yes)
 * @param genlipVision a GenLIP encoder as the vision tower instead of {@code vision} (the Q-Former
 *     reads its visual token outputs); null for the ViT. {@code glimpse train --vision-tower DIR} sets
 *     it from a GenLIP checkpoint and loads its weights.
 * @param visionFeatureLayer the tower's hidden state the Q-Former reads (HF convention; BLIP-2 takes
 *     the second-to-last layer of its ViT: -2), or null for the tower's output after its post-norm
 *     (HuggingFace's {@code Blip2ForConditionalGeneration}); ViT towers only
 * @param wordEmbedWidth the language model's token-embedding width when it differs from its stack's
 *     ({@link LanguageModelConfig#wordEmbedWidth}: OPT's project_in / project_out); 0 when equal
 */
public record Blip2Config(
    VisionConfig vision,
    QFormerConfig qformer,
    TransformerConfig text,
    int vocabSize,
    int maxTextPositions,
    int positionOffset,
    int imageTokenId,
    boolean tieWordEmbeddings,
    GenLipConfig genlipVision,
    Integer visionFeatureLayer,
    int wordEmbedWidth) implements ConnectorConfig {

  public static final String TYPE = "blip-2";

  public Blip2Config {
    if (qformer == null || text == null) {
      throw new IllegalArgumentException("qformer and text configs are required");
    }
    VisionTower.Spec tower = new VisionTower.Spec(vision, genlipVision);
    if (qformer.memoryWidth() != tower.width()) {
      throw new IllegalArgumentException("qformer memoryWidth " + qformer.memoryWidth() + " must equal the vision "
          + "width " + tower.width());
    }
    if (vocabSize <= 0 || maxTextPositions <= 0 || positionOffset < 0 || wordEmbedWidth < 0) {
      throw new IllegalArgumentException("vocabSize and maxTextPositions must be > 0, positionOffset and wordEmbedWidth "
          + ">= 0");
    }
    if (imageTokenId < 0 || imageTokenId >= vocabSize) {
      throw new IllegalArgumentException("imageTokenId " + imageTokenId + " is outside the vocabulary of " + vocabSize);
    }
    if (visionFeatureLayer != null) {
      if (vision == null) {
        throw new IllegalArgumentException("a GenLIP tower gives its final visual tokens: visionFeatureLayer must be "
            + "null");
      }
      int layers = vision.encoder().layers();
      if (visionFeatureLayer > layers || visionFeatureLayer < -(layers + 1)) {
        throw new IllegalArgumentException("visionFeatureLayer " + visionFeatureLayer + " does not exist in a "
            + layers + "-layer vision tower");
      }
    }
  }

  /** BLIP-2 with the ViT tower (HuggingFace's layout). */
  public Blip2Config(VisionConfig vision, QFormerConfig qformer, TransformerConfig text, int vocabSize,
      int maxTextPositions, int positionOffset, int imageTokenId, boolean tieWordEmbeddings) {
    this(vision, qformer, text, vocabSize, maxTextPositions, positionOffset, imageTokenId, tieWordEmbeddings, null,
        null, 0);
  }

  /**
   * BLIP-2 on a ViT tower (a CLIP, GIT or HuggingFace CLIP encoder) read at its second-to-last layer,
   * the Q-Former {@code qformer} (its memory width set to the tower's) and the language model {@code
   * text}.
   */
  public static Blip2Config onVit(VisionConfig tower, QFormerConfig qformer, LanguageModelConfig text,
      int imageTokenId) {
    return new Blip2Config(tower, qformer.withMemoryWidth(tower.width()), text.text(),
        Math.max(text.vocabSize(), imageTokenId + 1), text.maxTextPositions(), text.positionOffset(), imageTokenId,
        text.tieWordEmbeddings(), null, -2, text.wordEmbedWidth());
  }

  /**
   * BLIP-2 on a GenLIP vision tower: the Q-Former {@code qformer} (its memory width set to the tower's)
   * feeds the language model {@code text} (learned positions with OPT's offset of 2, tied head);
   * {@code imageTokenId} is the last id of the vocabulary; 64 text positions.
   */
  public static Blip2Config onGenLip(GenLipConfig tower, QFormerConfig qformer, TransformerConfig text,
      int imageTokenId) {
    return new Blip2Config(null, qformer.withMemoryWidth(tower.width()), text, imageTokenId + 1, 64, 2, imageTokenId,
        true, tower, null, 0);
  }

  /** The vision tower this config names. */
  @Override
  public VisionTower.Spec tower() {
    return new VisionTower.Spec(vision, genlipVision);
  }

  /**
   * The same model with a GenLIP encoder as its vision tower (the ViT removed); the Q-Former's
   * memory width follows the encoder's width.
   */
  public Blip2Config withGenLipVision(GenLipConfig genlip) {
    return withVisionTower(new VisionTower.Spec(null, genlip));
  }

  /**
   * The same model on another tower (the Q-Former's memory width follows it): a ViT keeps the
   * configured feature layer, a GenLIP encoder gives its final visual tokens.
   */
  @Override
  public Blip2Config withVisionTower(VisionTower.Spec tower) {
    return with(b -> {
      b.vision = tower.vit();
      b.genlipVision = tower.genlip();
      b.qformer = qformer.withMemoryWidth(tower.width());
      b.visionFeatureLayer = tower.vit() == null ? null : visionFeatureLayer;
    });
  }

  @Override
  public Blip2Config withVisionLayer(int layer) {
    return with(b -> b.visionFeatureLayer = layer);
  }

  @Override
  public LanguageModelConfig languageModel() {
    return new LanguageModelConfig(text, vocabSize, maxTextPositions, positionOffset, tieWordEmbeddings,
        wordEmbedWidth);
  }

  @Override
  public Blip2Config withLanguageModel(LanguageModelConfig lm, int newImageTokenId) {
    return with(b -> {
      b.text = lm.text();
      b.vocabSize = Math.max(lm.vocabSize(), newImageTokenId + 1);
      b.maxTextPositions = lm.maxTextPositions();
      b.positionOffset = lm.positionOffset();
      b.tieWordEmbeddings = lm.tieWordEmbeddings();
      b.wordEmbedWidth = lm.wordEmbedWidth();
      b.imageTokenId = newImageTokenId;
      if (qformer.hasTextBranch()) {
        b.qformer = qformer.withTextBranch(b.vocabSize, qformer.maxTextPositions(), qformer.projectionDim());
      }
    });
  }

  /** The same model with a Q-Former of other settings (its memory width kept). */
  public Blip2Config withQFormer(QFormerConfig q) {
    return with(b -> b.qformer = q.withMemoryWidth(qformer.memoryWidth()));
  }

  /** Visual tokens per image: the number of queries. */
  @Override
  public int imageTokens() {
    return qformer.numQueries();
  }

  @Override
  public String modelType() {
    return TYPE;
  }

  /** The same model for a tokenizer of {@code n} ids (the Q-Former's text branch, if any, reads them too). */
  @Override
  public Blip2Config withVocabSize(int n) {
    return with(b -> {
      b.vocabSize = Math.max(n, imageTokenId + 1);
      if (qformer.hasTextBranch()) {
        b.qformer = qformer.withTextBranch(b.vocabSize, qformer.maxTextPositions(), qformer.projectionDim());
      }
    });
  }

  @Override
  public int imageSize() {
    return tower().imageSize();
  }

  @Override
  public int maxTextLength() {
    return maxTextPositions - imageTokens();
  }

  /** A copy of {@code this} with the changes {@code change} makes to a {@link Builder}. */
  public Blip2Config with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The fields of a {@link Blip2Config}, set by name; {@link #build} validates them. */
  public static final class Builder {
    public VisionConfig vision;
    public QFormerConfig qformer;
    public TransformerConfig text;
    public int vocabSize;
    public int maxTextPositions;
    public int positionOffset;
    public int imageTokenId;
    public boolean tieWordEmbeddings;
    public GenLipConfig genlipVision;
    public Integer visionFeatureLayer;

    public int wordEmbedWidth;

    public Builder(Blip2Config from) {
      vision = from.vision;
      qformer = from.qformer;
      text = from.text;
      vocabSize = from.vocabSize;
      maxTextPositions = from.maxTextPositions;
      positionOffset = from.positionOffset;
      imageTokenId = from.imageTokenId;
      tieWordEmbeddings = from.tieWordEmbeddings;
      genlipVision = from.genlipVision;
      visionFeatureLayer = from.visionFeatureLayer;
      wordEmbedWidth = from.wordEmbedWidth;
    }

    public Blip2Config build() {
      return new Blip2Config(vision, qformer, text, vocabSize, maxTextPositions, positionOffset, imageTokenId,
          tieWordEmbeddings, genlipVision, visionFeatureLayer, wordEmbedWidth);
    }
  }
}
