package dev.glimpse.recipes;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.ModelConfig;
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
 * from its last checkpoint ({@link Resume}, {@code --resume}), or a connector whose vision tower is a
 * pre-trained GenLIP encoder ({@link FromVisionTower}, {@code --vision-tower}). Each answers what the
 * run needs, in the order {@link TrainRun} asks: the recipe, the tokenizer, the model config, the
 * image preprocessing, the starting weights, the optimizer state. A start owns what it opens (an
 * init model, a tokenizer) and closes it.
 */
public sealed interface RunStart extends AutoCloseable
    permits RunStart.Fresh, RunStart.FromInit, RunStart.Resume {

  /** The recipe the run follows. */
  Recipe recipe();

  /** The run's tokenizer (owned by this start). */
  Tokenizer tokenizer(Dataset train, PrintStream info);

  /** The model's config, given the run's tokenizer. */
  ModelConfig modelConfig(Tokenizer tokenizer);

  /** How images become the model's input. */
  ImageTransform transform(ModelConfig config);

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
    checkStart(o.init() != null, o.resume(), o.visionTower() != null, !o.parts().isEmpty());
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
    if (o.visionTower() != null) {
      return new FromVisionTower(requested, VisionTowers.read(o.visionTower()));
    }
    if (!o.parts().isEmpty()) {
      return new FromParts(requested, Parts.open(requested.model(), o.parts(), manager));
    }
    Parts.requireNone(requested.model());
    return new Fresh(requested);
  }

  /** Refuses the combinations of start options that contradict each other. */
  public static void checkStart(boolean init, boolean resume, boolean visionTower) {
    checkStart(init, resume, visionTower, false);
  }

  /** Refuses the combinations of start options that contradict each other, parts ({@code --part}) included. */
  public static void checkStart(boolean init, boolean resume, boolean visionTower, boolean parts) {
    if ((init || resume) && visionTower) {
      throw new GlimpseException("a vision tower starts a new model; it cannot be combined with --init or --resume");
    }
    if ((init || resume || visionTower) && parts) {
      throw new GlimpseException("--part starts a new model from pre-trained parts; it cannot be combined with --init, "
          + "--resume or --vision-tower");
    }
    if (init && resume) {
      throw new GlimpseException("--init starts a new run; --resume continues one (the run already holds its model)");
    }
  }

  /** A new model: the recipe's model, a tokenizer built for the recipe, fresh weights. */
  sealed class Fresh implements RunStart permits FromVisionTower, FromParts {
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
      return recipe.model().withVocabSize(tokenizer.vocabSize());
    }

    @Override
    public ImageTransform transform(ModelConfig config) {
      return ImageTransform.square(config.imageSize()).withResize(recipe.data().resize(), 0);
    }

    @Override
    public void loadWeights(ParameterStore store, PrintStream info) {
      if (recipe.train().freeze().contains(VisionTowers.PREFIX)) {
        info.printf("warning: the recipe freezes the vision tower, which starts untrained here; "
            + "start it from a GenLIP checkpoint with --vision-tower DIR%n");
      }
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
      return init.tokenizer();
    }

    @Override
    public ModelConfig modelConfig(Tokenizer tokenizer) {
      return init.config().continuedUnder(recipe.model());
    }

    @Override
    public ImageTransform transform(ModelConfig config) {
      return init.transform();
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
      store.load(tensors, init.source().toString());
      init.store().close();
      info.printf("starting from %s: model %s and its tokenizer (the recipe's model and tokenizer are not used)%n",
          init.source(), init.config().modelType());
    }

    @Override
    public void close() {
      init.close();
    }
  }

  /** Continuing an interrupted run: its saved recipe, tokenizer, model, weights, optimizer state and log. */
  final class Resume implements RunStart {
    private final Recipe recipe;
    private final Path checkpoint;
    private final CheckpointConfig saved;
    private Tokenizer tokenizer;

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
    }
  }

  /**
   * A connector (LLaVA, BLIP-2) whose vision tower is a pre-trained GenLIP checkpoint: the checkpoint's
   * encoder config replaces the recipe's tower, its weights go under {@value VisionTowers#PREFIX},
   * its image preprocessing becomes the run's; the rest starts fresh.
   */
  final class FromVisionTower extends Fresh {
    private final VisionTowers.Pretrained tower;

    FromVisionTower(Recipe requested, VisionTowers.Pretrained tower) {
      super(requested.withModel(VisionTowers.withTower(requested.model(), tower)));
      this.tower = tower;
    }

    @Override
    public ImageTransform transform(ModelConfig config) {
      return tower.transform();
    }

    @Override
    public void loadWeights(ParameterStore store, PrintStream info) {
      store.loadUnder(VisionTowers.PREFIX, tower.weights(), tower.source().toString());
      info.printf("vision tower: GenLIP encoder from %s (%s)%n", tower.source(),
          recipe().train().freeze().contains(VisionTowers.PREFIX) ? "frozen" : "trained with the rest");
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
