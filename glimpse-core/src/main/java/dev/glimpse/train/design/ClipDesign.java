package dev.glimpse.train.design;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.glimpse.data.PairBatch;
import dev.glimpse.data.PairBatcher;
import dev.glimpse.loss.InfoNce;
import dev.glimpse.model.ClipConfig;
import dev.glimpse.model.ClipModel;
import dev.glimpse.model.HasVisionTower;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.model.VisionTower;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.train.GradientCache;
import dev.glimpse.train.Objective;
import dev.glimpse.train.TrainableDesign;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import dev.glimpse.util.GlimpseException;

/**
 * CLIP: an image tower and a text tower embedding into one space, trained by symmetric InfoNCE over
 * each batch with a learned temperature (the logit scale starts at 1/0.07 and is clipped at 100),
 * logged as {@code loss_itc}; batches larger than memory train by gradient caching
 * ({@code train.gradientCacheChunk}). HuggingFace CLIP checkpoints load into the same model and
 * fine-tune the same way. See docs/clip.md.
 */
public final class ClipDesign implements TrainableDesign, HasVisionTower {
  /** The name of the contrastive loss in logs. */
  public static final String LOSS = "loss_itc";

  @Override
  public String type() {
    return ClipConfig.TYPE;
  }

  @Override
  public Class<ClipConfig> configClass() {
    return ClipConfig.class;
  }

  @Override
  public ClipModel build(ParameterStore.Scope scope, ModelConfig config) {
    return new ClipModel(scope, (ClipConfig) config);
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    ClipModel clip = (ClipModel) model;
    int eos = setup.tokenizer().special().eos();
    if (eos != clip.config().eosTokenId()) {
      throw new GlimpseException("the CLIP model reads its text embedding at end-of-text id "
          + clip.config().eosTokenId() + " but the tokenizer's end-of-text id is " + eos
          + " (set model.eosTokenId to " + eos + ")");
    }
    int bos = setup.tokenizer().special().bos();
    PairBatcher batcher = new PairBatcher(setup.tokenizer(), setup.transform(), tokens -> clip.textIds(tokens, bos),
        false, false, Math.min(setup.train().maxTextTokens(), clip.config().maxTextPositions()),
        setup.firstTargetProbability());
    GradientCache.Encoder<PairBatch> encoder = new GradientCache.Encoder<>() {
      @Override
      public int size(PairBatch batch) {
        return batch.size();
      }

      @Override
      public GradientCache.Chunk encode(PairBatch batch, int from, int to, Objective.Step step) {
        PairBatch part = from == 0 && to == batch.size() ? batch : batch.slice(from, to);
        NDArray images = InfoNce.normalize(clip.embedImages(part.pixels(step.manager())));     // [n, P]
        NDArray texts = InfoNce.normalize(clip.embedTexts(part.textIds(step.manager()),
            part.textValid(step.manager())));                                                   // [n, P]
        return GradientCache.Chunk.of(images, texts);
      }
    };
    GradientCache.BatchLoss infoNce = (NDList embeddings, Objective.Step step) -> {
      NDArray images = embeddings.get(0);
      NDArray scale = clip.temperature().logitScale(images, step.progress());
      InfoNce.Result r = InfoNce.forward(images, embeddings.get(1), scale);
      return Objective.Loss.named(LOSS, r.loss(), images.getShape().get(0))
          .withStat("temperature", clip.temperature().value(step.progress()));
    };
    return new Training<>(batcher, new GradientCache<>(encoder, infoNce, setup.train().contrastiveChunk()));
  }

  /** CLIP's image tower, as LLaVA and BLIP-2 read it. */
  @Override
  public VisionTower.Source visionTower(ModelConfig config) {
    return new VisionTower.Source(VisionTower.Spec.vit(((ClipConfig) config).vision()), "vision.");
  }
}
