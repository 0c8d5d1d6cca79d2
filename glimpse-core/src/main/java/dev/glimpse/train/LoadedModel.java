package dev.glimpse.train;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.hf.HfModel;
import dev.glimpse.model.CaptioningModel;
import dev.glimpse.model.Embedder;
import dev.glimpse.model.GeneratesImages;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.Models;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Path;

/**
 * A model with its weights, tokenizer and image preprocessing, ready to run; owns its native memory.
 * The model may be of any design: {@link #model} gives it as a captioner (an error for a design that
 * does not write text), {@link #instance} as whatever it is.
 */
public final class LoadedModel implements AutoCloseable {
  private final NDManager manager;
  private final ParameterStore store;
  private final Object model;
  private final ModelConfig config;
  private final Tokenizer tokenizer;
  private final ImageTransform transform;
  private final Path source;
  private final JsonObject hfSection; // HF side files of a model that came from HuggingFace, or null
  private final Tokenizer decoderTokenizer; // the image decoder's own tokenizer, or null (see decoderTokenizer())

  public LoadedModel(NDManager manager, ParameterStore store, Object model, ModelConfig config,
      Tokenizer tokenizer, ImageTransform transform, Path source) {
    this(manager, store, model, config, tokenizer, transform, source, null);
  }

  /** @param hfSection the HF side files (config.json...) of a model from HuggingFace, kept for export; may be null */
  public LoadedModel(NDManager manager, ParameterStore store, Object model, ModelConfig config,
      Tokenizer tokenizer, ImageTransform transform, Path source, JsonObject hfSection) {
    this(manager, store, model, config, tokenizer, transform, source, hfSection, null);
  }

  /**
   * @param decoderTokenizer the tokenizer the model's image decoder reads prompts with when it is not
   *     {@code tokenizer} ({@link GeneratesImages#decoderHasOwnTokenizer}; owned and closed by this), or null
   */
  public LoadedModel(NDManager manager, ParameterStore store, Object model, ModelConfig config,
      Tokenizer tokenizer, ImageTransform transform, Path source, JsonObject hfSection, Tokenizer decoderTokenizer) {
    this.decoderTokenizer = decoderTokenizer;
    this.manager = manager;
    this.store = store;
    this.model = model;
    this.config = config;
    this.tokenizer = tokenizer;
    this.transform = transform;
    this.source = source;
    this.hfSection = hfSection;
  }

  /**
   * Loads a Glimpse checkpoint folder, a run folder holding {@code checkpoint/}, or a HuggingFace
   * model folder of a GIT, LLaVA or BLIP-2 model (with its tokenizer.json).
   */
  public static LoadedModel load(Path path, NDManager parent) {
    Path dir = Checkpoint.resolve(path);
    if (HfModel.isHfDir(dir)) {
      return fromHf(dir, parent);
    }
    CheckpointConfig saved = CheckpointConfig.read(dir);
    ModelConfig config = saved.model();
    Tokenizer tokenizer = HfTokenizer.load(dir);
    if (tokenizer.vocabSize() > config.vocabSize()) {
      tokenizer.close();
      throw new GlimpseException("tokenizer in " + dir + " has " + tokenizer.vocabSize()
          + " ids but the model only " + config.vocabSize() + " (mismatched checkpoint files?)");
    }
    NDManager manager = parent.newSubManager();
    ParameterStore store = new ParameterStore(manager, 0);
    Tokenizer decoderTokenizer = null;
    try {
      decoderTokenizer = Checkpoint.readDecoderTokenizer(dir);
      Object model = Models.build(config, store.root());
      checkDecoderTokenizer(model, config, decoderTokenizer, dir);
      store.load(dir.resolve(Checkpoint.WEIGHTS));
      return new LoadedModel(manager, store, model, config, tokenizer, saved.image(), dir, saved.hf(), decoderTokenizer);
    } catch (RuntimeException e) {
      tokenizer.close();
      if (decoderTokenizer != null) {
        decoderTokenizer.close();
      }
      manager.close();
      throw e;
    }
  }

  /**
   * A model whose image decoder reads prompts with a tokenizer of its own needs that tokenizer, of no
   * more ids than the decoder's text encoder has rows.
   */
  private static void checkDecoderTokenizer(Object model, ModelConfig config, Tokenizer decoderTokenizer, Path dir) {
    if (!(model instanceof GeneratesImages generator) || !generator.decoderHasOwnTokenizer()) {
      return;
    }
    if (decoderTokenizer == null) {
      throw new GlimpseException("incomplete checkpoint " + dir + ": missing " + Checkpoint.DECODER_TOKENIZER + " (the "
          + config.modelType() + " model's image decoder reads prompts with a tokenizer of its own)");
    }
    int rows = generator.imageDecoder().config().vocabSize();
    if (decoderTokenizer.vocabSize() > rows) {
      throw new GlimpseException(Checkpoint.DECODER_TOKENIZER + " in " + dir + " has " + decoderTokenizer.vocabSize()
          + " ids but the image decoder's text encoder only " + rows + " (mismatched checkpoint files?)");
    }
  }

  private static LoadedModel fromHf(Path dir, NDManager parent) {
    HfModel hf = HfModel.load(dir, parent);
    try {
      if (hf.tokenizer() == null) {
        throw new GlimpseException(dir + " has no " + HfTokenizer.FILE);
      }
      // the HfModel's manager and tokenizer now belong to the LoadedModel, which closes them
      return new LoadedModel(hf.manager(), hf.store(), hf.model(), hf.config(), hf.tokenizer(), hf.transform(), dir,
          hf.section());
    } catch (RuntimeException e) {
      hf.close();
      throw e;
    }
  }

  /** The model as a captioner; a design that does not write text (CLIP) is a user error. */
  public CaptioningModel model() {
    if (model instanceof CaptioningModel captioner) {
      if (!captioner.writesText()) {
        throw new GlimpseException("the " + config.modelType() + " model in " + source + " was trained without "
            + "its captioning objective; it cannot caption");
      }
      return captioner;
    }
    if (model instanceof dev.glimpse.model.ScoresText) {
      throw new GlimpseException("the " + config.modelType() + " model in " + source + " is a language model alone: it "
          + "reads no images (evaluate it with 'glimpse eval', or join it to a vision tower with 'glimpse train "
          + "--language-model')");
    }
    throw new GlimpseException("the " + config.modelType() + " model in " + source + " does not generate text; it "
        + "cannot caption, answer questions or be evaluated on text");
  }

  /** Whether the model writes text ({@link #model} works). */
  public boolean captions() {
    return model instanceof CaptioningModel captioner && captioner.writesText();
  }

  /**
   * The model as an embedder of images and texts (CLIP, MM-GEM); a design that does not embed is a user
   * error.
   */
  public Embedder embedder() {
    if (model instanceof Embedder embedder) {
      if (!embedder.embeds()) {
        throw new GlimpseException("the " + config.modelType() + " model in " + source + " was trained without "
            + "its embedding objective; it cannot embed");
      }
      return embedder;
    }
    throw new GlimpseException("the " + config.modelType() + " model in " + source + " does not embed images and "
        + "texts (CLIP and MM-GEM models do)");
  }

  /** Whether the model embeds images and texts ({@link #embedder} works). */
  public boolean embeds() {
    return model instanceof Embedder embedder && embedder.embeds();
  }

  /** The model object, of whatever design. */
  public Object instance() {
    return model;
  }

  public ModelConfig config() {
    return config;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * The tokenizer the model's image decoder reads prompts with: its own when the checkpoint carries one
   * ({@link GeneratesImages#decoderHasOwnTokenizer}: a VLV that captions with a language model), else
   * the model's tokenizer.
   */
  public Tokenizer decoderTokenizer() {
    return decoderTokenizer != null ? decoderTokenizer : tokenizer;
  }

  public ImageTransform transform() {
    return transform;
  }

  public ParameterStore store() {
    return store;
  }

  public NDManager manager() {
    return manager;
  }

  public Path source() {
    return source;
  }

  /** HF side files (config.json, generation config...) when the model came from HuggingFace, else null. */
  public JsonObject hfSection() {
    return hfSection == null ? null : hfSection.deepCopy();
  }

  @Override
  public void close() {
    tokenizer.close();
    if (decoderTokenizer != null) {
      decoderTokenizer.close();
    }
    manager.close();
  }
}
