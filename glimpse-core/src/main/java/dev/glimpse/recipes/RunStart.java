package dev.glimpse.recipes;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.ConnectorConfig;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.Models;
import dev.glimpse.model.TakesParts;
import dev.glimpse.tokenize.ChatTemplate;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.train.AdamW;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.train.RunLog;
import dev.glimpse.train.TrainerState;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.SafeTensors;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a training run starts, chosen once from the command line ({@link #choose}): a fresh model
 * ({@link Fresh}), a model fine-tuned from another ({@link FromInit}, {@code --init}), a run continued
 * from its last checkpoint ({@link Resume}, {@code --resume}), or a connector model whose vision tower
 * and language model are pre-trained ones ({@link FromPretrainedParts}, {@code --vision-tower},
 * {@code --language-model}, {@code --vision-layer}). Each answers what the
 * run needs, in the order {@link TrainRun} asks: the recipe, the tokenizer, the model config, the
 * image preprocessing, the starting weights, the optimizer state. A start owns what it opens (an
 * init model, a tokenizer) and closes it.
 */
public sealed interface RunStart extends AutoCloseable
    permits RunStart.Fresh, RunStart.FromInit, RunStart.Resume, RunStart.FromPretrainedParts {

  /** The recipe the run follows. */
  Recipe recipe();

  /** The run's tokenizer (owned by this start). */
  Tokenizer tokenizer(Dataset train, PrintStream info);

  /** The model's config, given the run's tokenizer. */
  ModelConfig modelConfig(Tokenizer tokenizer);

  /** How images become the model's input. */
  ImageTransform transform(ModelConfig config);

  /**
   * The tokenizer the model's image decoder reads prompts with, when the run has one to carry apart from
   * its own (owned by this start; saved only for a model whose decoder has its own, {@link
   * dev.glimpse.model.GeneratesImages#decoderHasOwnTokenizer}), or null.
   */
  default Tokenizer decoderTokenizer() {
    return null;
  }

  /** HuggingFace side files to keep in the run's checkpoints (so that {@code export hf} writes them back), or null. */
  default JsonObject hfSection() {
    return null;
  }

  /** Puts the starting weights into the run's freshly initialised parameters. */
  default void loadWeights(ParameterStore store, PrintStream info) {}

  /** Restores the optimizer and the log of an interrupted run; the step to start from. */
  default TrainerState restore(AdamW optimizer, RunLog log, PrintStream info) {
    return TrainerState.start();
  }

  @Override
  default void close() {}

  /**
   * The start the options ask for, checked before any work: a vision tower cannot be combined with
   * {@code --init} or {@code --resume}; a new run refuses a folder that already holds a checkpoint;
   * resuming needs one.
   *
   * @param requested the recipe given on the command line (null when resuming without one)
   * @param manager where an init model is loaded
   */
  static RunStart choose(Recipe requested, TrainRun.Options o, NDManager manager) {
    Path checkpoint = o.out().resolve(Checkpoint.RUN_CHECKPOINT);
    checkLanguageModelOption(requested, o.languageModel() != null);
    checkStart(o.init() != null, o.resume(), o.visionTower() != null || o.languageModel() != null
        || o.visionLayer() != null, !o.parts().isEmpty());
    if (o.resume()) {
      return Resume.of(requested, o.out());
    }
    if (Files.exists(checkpoint)) {
      throw new GlimpseException(o.out() + " already holds a checkpoint; continue it with --resume or choose another "
          + "--out");
    }
    if (requested == null) {
      throw new GlimpseException("no recipe given");
    }
    if (o.init() != null) {
      return new FromInit(requested, LoadedModel.load(o.init(), manager));
    }
    if (o.visionTower() != null || o.languageModel() != null || o.visionLayer() != null) {
      return new FromPretrainedParts(requested, o.visionTower() == null ? null : VisionTowers.read(o.visionTower()),
          o.languageModel() == null ? null : LanguageModels.read(o.languageModel()), o.visionLayer());
    }
    if (!o.parts().isEmpty()) {
      return new FromParts(requested, Parts.open(requested.model(), o.parts(), manager));
    }
    Parts.requireNone(requested.model());
    return new Fresh(requested);
  }

  /**
   * Refuses {@code --language-model} for a model whose design takes its language model as a part (VLV
   * stage 2: {@code --part language-model=DIR}), naming the flag to use instead.
   */
  public static void checkLanguageModelOption(Recipe requested, boolean languageModel) {
    if (!languageModel || requested == null) {
      return;
    }
    ModelConfig model = requested.model();
    if (Models.design(model.modelType()) instanceof TakesParts parts
        && parts.parts(model).stream().anyMatch(slot -> slot.name().equals(TakesParts.LANGUAGE_MODEL))) {
      throw new GlimpseException("--language-model: a " + model.modelType() + " model takes its language model as a "
          + "part: give --part " + TakesParts.LANGUAGE_MODEL + "=DIR instead");
    }
  }

  /** Refuses the combinations of start options that contradict each other. */
  public static void checkStart(boolean init, boolean resume, boolean pretrained) {
    checkStart(init, resume, pretrained, false);
  }

  /**
   * Refuses the combinations of start options that contradict each other, parts ({@code --part})
   * included; {@code pretrained}: a vision tower, language model or vision layer is given.
   */
  public static void checkStart(boolean init, boolean resume, boolean pretrained, boolean parts) {
    if ((init || resume) && pretrained) {
      throw new GlimpseException("a vision tower or language model starts a new model; --vision-tower, "
          + "--language-model and --vision-layer cannot be combined with --init or --resume");
    }
    if ((init || resume || pretrained) && parts) {
      throw new GlimpseException("--part starts a new model from pre-trained parts; it cannot be combined with --init, "
          + "--resume, --vision-tower, --language-model or --vision-layer");
    }
    if (init && resume) {
      throw new GlimpseException("--init starts a new run; --resume continues one (the run already holds its model)");
    }
  }

  /** A new model: the recipe's model, a tokenizer built for the recipe, fresh weights. */
  sealed class Fresh implements RunStart permits FromParts {
    private final Recipe recipe;
    private Tokenizer tokenizer;

    Fresh(Recipe recipe) {
      this.recipe = recipe;
    }

    @Override
    public Recipe recipe() {
      return recipe;
    }

    @Override
    public Tokenizer tokenizer(Dataset train, PrintStream info) {
      tokenizer = TrainRun.tokenizer(recipe, train, info);
      return tokenizer;
    }

    @Override
    public ModelConfig modelConfig(Tokenizer tokenizer) {
      return withImageToken(recipe.model().withVocabSize(tokenizer.vocabSize()), tokenizer);
    }

    @Override
    public ImageTransform transform(ModelConfig config) {
      return ImageTransform.square(config.imageSize()).withResize(recipe.data().resize(), 0);
    }

    @Override
    public void loadWeights(ParameterStore store, PrintStream info) {
      warnUntrainedFrozen(recipe, store, info, false, false);
    }

    @Override
    public void close() {
      if (tokenizer != null) {
        tokenizer.close();
      }
    }
  }

  /**
   * Fine-tuning: another model's config, weights, tokenizer and image preprocessing replace the
   * recipe's model and tokenizer; the recipe gives the data and the optimisation.
   */
  final class FromInit implements RunStart {
    private final Recipe recipe;
    private final LoadedModel init;
    private Tokenizer templated; // the init tokenizer with the recipe's chat template, when it differs
    private ModelConfig continued; // the config the run trains under

    FromInit(Recipe recipe, LoadedModel init) {
      this.recipe = recipe;
      this.init = init;
    }

    @Override
    public Recipe recipe() {
      return recipe;
    }

    @Override
    public Tokenizer tokenizer(Dataset train, PrintStream info) {
      ChatTemplate template = recipe.tokenizer().chatTemplate();
      if (template != null && init.tokenizer() instanceof HfTokenizer hf && !template.equals(hf.chatTemplate())) {
        templated = hf.withChatTemplate(template);
        return templated;
      }
      return init.tokenizer();
    }

    @Override
    public ModelConfig modelConfig(Tokenizer tokenizer) {
      continued = init.config().continuedUnder(recipe.model());
      return continued;
    }

    @Override
    public ImageTransform transform(ModelConfig config) {
      return init.transform();
    }

    @Override
    public Tokenizer decoderTokenizer() {
      return init.decoderTokenizer();
    }

    @Override
    public JsonObject hfSection() {
      return init.hfSection();
    }

    // The init model's weights into the run's store; the init copies are freed at once (large models).
    @Override
    public void loadWeights(ParameterStore store, PrintStream info) {
      Map<String, SafeTensors.Tensor> tensors = new HashMap<>();
      for (SafeTensors.Tensor t : init.store().toTensors()) {
        tensors.put(t.name(), t);
      }
      if (continued != null && !continued.equals(init.config())) {
        // a later stage of the same design (MM-GEM stage 2): parts it adds start from their own init
        List<String> fresh = store.loadExtending(tensors, init.source().toString());
        if (!fresh.isEmpty()) {
          info.printf("new in this stage (initialised here): %s%n", String.join(", ", fresh));
        }
      } else {
        store.load(tensors, init.source().toString());
      }
      init.store().close();
      info.printf("starting from %s: model %s and its tokenizer (the recipe's model and tokenizer are not used)%n",
          init.source(), init.config().modelType());
    }

    @Override
    public void close() {
      if (templated != null) {
        templated.close();
      }
      init.close();
    }
  }

  /** Continuing an interrupted run: its saved recipe, tokenizer, model, weights, optimizer state and log. */
  final class Resume implements RunStart {
    private final Recipe recipe;
    private final Path checkpoint;
    private final CheckpointConfig saved;
    private Tokenizer tokenizer;
    private Tokenizer decoderTokenizer; // the image decoder's own, when the checkpoint carries one

    private Resume(Recipe recipe, Path checkpoint, CheckpointConfig saved) {
      this.recipe = recipe;
      this.checkpoint = checkpoint;
      this.saved = saved;
    }

    /** The run in {@code out}; a {@code requested} recipe may only change the number of steps. */
    static Resume of(Recipe requested, Path out) {
      Path checkpoint = Checkpoint.resolve(out.resolve(Checkpoint.RUN_CHECKPOINT));
      Recipe recipe = RecipeFiles.read(out.resolve(TrainRun.RECIPE_FILE));
      if (requested != null && requested.train().steps() != recipe.train().steps()) {
        recipe = recipe.withTrain(recipe.train().withSteps(requested.train().steps()));
      }
      return new Resume(recipe, checkpoint, CheckpointConfig.read(checkpoint));
    }

    @Override
    public Recipe recipe() {
      return recipe;
    }

    @Override
    public Tokenizer tokenizer(Dataset train, PrintStream info) {
      tokenizer = HfTokenizer.load(checkpoint);
      return tokenizer;
    }

    @Override
    public Tokenizer decoderTokenizer() {
      if (decoderTokenizer == null) {
        decoderTokenizer = Checkpoint.readDecoderTokenizer(checkpoint);
      }
      return decoderTokenizer;
    }

    @Override
    public ModelConfig modelConfig(Tokenizer tokenizer) {
      return saved.model();
    }

    @Override
    public ImageTransform transform(ModelConfig config) {
      return saved.image();
    }

    @Override
    public JsonObject hfSection() {
      return saved.hf();
    }

    @Override
    public void loadWeights(ParameterStore store, PrintStream info) {
      store.load(checkpoint.resolve(Checkpoint.WEIGHTS));
    }

    /**
     * The optimizer's moments and step, the log cut back to the checkpoint's step. The parameter groups
     * must be those the checkpoint was trained under (checkpoints that predate groups recorded none).
     */
    @Override
    public TrainerState restore(AdamW optimizer, RunLog log, PrintStream info) {
      List<ParameterGroup> recorded = saved.parameterGroups();
      if (!recorded.isEmpty() && !recorded.equals(optimizer.groups())) {
        throw new GlimpseException("cannot resume: the run's parameter groups " + optimizer.groups()
            + " differ from those its checkpoint was trained under " + recorded + " (" + checkpoint + ")");
      }
      TrainerState state = Checkpoint.readState(checkpoint);
      Checkpoint.loadOptimizer(checkpoint, optimizer, state.step());
      log.truncateAfter(state.step());
      info.printf("resuming from step %d of %d%n", state.step(), recipe.train().steps());
      return state;
    }

    @Override
    public void close() {
      if (tokenizer != null) {
        tokenizer.close();
      }
      if (decoderTokenizer != null) {
        decoderTokenizer.close();
      }
    }
  }

  /**
   * A connector model (LLaVA, BLIP-2, Flamingo) from pre-trained parts: a vision tower ({@link
   * VisionTowers}: its config replaces the recipe's tower, its weights go under {@value
   * VisionTowers#PREFIX}, its image preprocessing becomes the run's), a language model ({@link
   * LanguageModels}: its config replaces the recipe's, its weights and tokenizer come along) and the
   * tower layer the connector reads; the connector starts fresh.
   */
  final class FromPretrainedParts implements RunStart {
    private final Recipe recipe;
    private final VisionTowers.Pretrained tower;   // null: the recipe's tower, fresh
    private final LanguageModels.Pretrained lm;    // null: the recipe's language model, fresh
    private Tokenizer tokenizer;

    FromPretrainedParts(Recipe requested, VisionTowers.Pretrained tower, LanguageModels.Pretrained lm,
        Integer visionLayer) {
      if (!(requested.model() instanceof ConnectorConfig connector)) {
        if (lm != null) {
          lm.tokenizer().close();
        }
        throw new GlimpseException("--vision-tower, --language-model and --vision-layer need a recipe whose model joins a "
            + "vision tower to a language model (llava, blip-2, flamingo), got '" + requested.model().modelType() + "'");
      }
      ConnectorConfig model = connector;
      if (tower != null) {
        model = model.withVisionTower(tower.spec());
      }
      if (visionLayer != null) {
        try {
          model = model.withVisionLayer(visionLayer);
        } catch (IllegalArgumentException e) {
          throw new GlimpseException("--vision-layer " + visionLayer + ": " + e.getMessage());
        }
      }
      if (lm != null) {
        model = model.withLanguageModel(lm.config(), model.imageTokenId());
      }
      this.recipe = requested.withModel(model);
      this.tower = tower;
      this.lm = lm;
    }

    @Override
    public Recipe recipe() {
      return recipe;
    }

    @Override
    public Tokenizer tokenizer(Dataset train, PrintStream info) {
      if (lm == null) {
        tokenizer = TrainRun.tokenizer(recipe, train, info);
        return tokenizer;
      }
      HfTokenizer withImage = lm.tokenizer().tokenId(ChatTemplate.IMAGE_TOKEN) >= 0 ? lm.tokenizer()
          : lm.tokenizer().withAddedTokens(List.of(ChatTemplate.IMAGE_TOKEN));
      ChatTemplate template = recipe.tokenizer().chatTemplate();
      tokenizer = template == null ? withImage : withImage.withChatTemplate(template);
      if (tokenizer != withImage && withImage != lm.tokenizer()) {
        withImage.close();
      }
      if (tokenizer != lm.tokenizer()) {
        lm.tokenizer().close();
      }
      return tokenizer;
    }

    @Override
    public ModelConfig modelConfig(Tokenizer tokenizer) {
      return withImageToken(recipe.model().withVocabSize(tokenizer.vocabSize()), tokenizer);
    }

    @Override
    public ImageTransform transform(ModelConfig config) {
      return tower != null ? tower.transform()
          : ImageTransform.square(config.imageSize()).withResize(recipe.data().resize(), 0);
    }

    @Override
    public void loadWeights(ParameterStore store, PrintStream info) {
      if (tower != null) {
        store.loadUnder(VisionTowers.PREFIX, tower.weights(), tower.source().toString());
        info.printf("vision tower: %s from %s (%s)%n", tower.spec().describe(), tower.source(),
            frozen(recipe, VisionTowers.PREFIX + "x") ? "frozen" : "trained with the rest");
      }
      if (lm != null) {
        LanguageModels.load(store, lm);
        info.printf("language model: %d x %d (%s) from %s (%s)%n", lm.config().text().layers(),
            lm.config().text().width(), lm.config().learnedPositions() ? "learned positions" : "rotary", lm.source(),
            frozen(recipe, LanguageModels.STACK + "x") ? "frozen" : "trained with the rest");
      }
      warnUntrainedFrozen(recipe, store, info, tower != null, lm != null);
    }

    @Override
    public void close() {
      if (tokenizer != null) {
        tokenizer.close();
      } else if (lm != null) {
        lm.tokenizer().close();
      }
    }
  }

  /**
   * A connector model's config with the tokenizer's image placeholder id ({@link
   * ChatTemplate#IMAGE_TOKEN}; the language model's rows grown to hold it); other configs as they are.
   */
  static ModelConfig withImageToken(ModelConfig config, Tokenizer tokenizer) {
    if (config instanceof ConnectorConfig connector && tokenizer instanceof HfTokenizer hf) {
      int id = hf.tokenId(ChatTemplate.IMAGE_TOKEN);
      if (id >= 0 && id != connector.imageTokenId()) {
        return connector.withLanguageModel(connector.languageModel(), id).withVocabSize(tokenizer.vocabSize());
      }
    }
    return config;
  }

  /** Whether the recipe's parameter groups freeze a parameter of this name. */
  static boolean frozen(Recipe recipe, String parameterName) {
    ParameterGroup group = ParameterGroup.of(parameterName, recipe.train().parameterGroups());
    return group != null && group.frozen();
  }

  /** Warns when a part the recipe freezes starts untrained (no --vision-tower / --language-model given). */
  private static void warnUntrainedFrozen(Recipe recipe, ParameterStore store, PrintStream info, boolean towerLoaded,
      boolean lmLoaded) {
    if (!(recipe.model() instanceof ConnectorConfig)) {
      if (recipe.train().freeze().contains(VisionTowers.PREFIX)) {
        info.printf("warning: the recipe freezes the vision tower, which starts untrained here%n");
      } else {
        List<String> frozen = recipe.train().parameterGroups().stream().filter(ParameterGroup::frozen)
            .map(ParameterGroup::name).toList();
        if (!frozen.isEmpty()) {
          info.printf("warning: the recipe freezes %s, which start%s untrained here; a recipe that freezes parts "
              + "continues a trained model (--init DIR)%n", String.join(", ", frozen), frozen.size() == 1 ? "s" : "");
        }
      }
      return;
    }
    boolean vision = store.names().stream().anyMatch(n -> n.startsWith(VisionTowers.PREFIX));
    if (vision && frozen(recipe, VisionTowers.PREFIX + "x") && !towerLoaded) {
      info.printf("warning: the recipe freezes the vision tower, which starts untrained here; start it from a "
          + "checkpoint with --vision-tower DIR%n");
    }
    if (frozen(recipe, LanguageModels.STACK + "x") && !lmLoaded) {
      info.printf("warning: the recipe freezes the language model, which starts untrained here; start it from a "
          + "checkpoint with --language-model DIR%n");
    }
  }

  /**
   * A new model with parts taken from other checkpoints ({@code --part NAME=DIR}, {@link Parts}): each
   * part's config goes into the recipe's model, its weights under its prefix, and the tokenizer of the
   * part that reads text becomes the run's (none trained); the rest starts fresh.
   */
  final class FromParts extends Fresh {
    private final Parts parts;

    FromParts(Recipe requested, Parts parts) {
      super(requested.withModel(parts.config()));
      this.parts = parts;
    }

    @Override
    public Tokenizer tokenizer(Dataset train, PrintStream info) {
      LoadedModel source = parts.tokenizerSource();
      if (source == null) {
        return super.tokenizer(train, info);
      }
      info.printf("tokenizer: from %s (%d ids)%n", source.source(), source.tokenizer().vocabSize());
      return source.tokenizer();
    }

    @Override
    public Tokenizer decoderTokenizer() {
      LoadedModel source = parts.decoderTokenizerSource();
      return source == null ? null : source.decoderTokenizer();
    }

    @Override
    public ModelConfig modelConfig(Tokenizer tokenizer) {
      // a part's tokenizer comes with the vocabulary its part was built for
      return parts.tokenizerSource() != null ? recipe().model() : super.modelConfig(tokenizer);
    }

    @Override
    public void loadWeights(ParameterStore store, PrintStream info) {
      parts.load(store, recipe().train().parameterGroups(), info);
    }

    @Override
    public void close() {
      super.close();
      parts.close();
    }
  }
}
