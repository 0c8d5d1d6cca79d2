package dev.glimpse.train.design;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.glimpse.data.PairBatch;
import dev.glimpse.data.PairBatcher;
import dev.glimpse.loss.InfoNce;
import dev.glimpse.loss.LmLoss;
import dev.glimpse.model.MmGemConfig;
import dev.glimpse.model.MmGemModel;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.Scalars;
import dev.glimpse.train.GradientCache;
import dev.glimpse.train.Objective;
import dev.glimpse.train.TrainableDesign;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;

/**
 * MM-GEM: both paths of one language model on the same batch, {@code L = L_emb + L_gen} unweighted as
 * the paper (its equation 4). {@code L_emb} ({@code loss_emb}) is InfoNCE image-to-text plus
 * text-to-image (their sum, the paper's equation 2) at the scheduled temperature; {@code L_gen}
 * ({@code loss_gen}) the next-token loss of the caption after {@code [Vin] [CAP]}. The ablations keep
 * one term ({@link MmGemConfig#objectives}). Stage 2 trains on regions: boxes through RoIAlign, region
 * phrases as texts and captions. The contrastive term couples the batch, so large batches train by
 * gradient caching ({@code train.gradientCacheChunk}), with {@code L_gen} as each chunk's local loss.
 * See docs/mmgem.md.
 */
public final class MmGemDesign implements TrainableDesign {
  public static final String EMBEDDING_LOSS = "loss_emb";
  public static final String GENERATION_LOSS = "loss_gen";

  @Override
  public String type() {
    return MmGemConfig.TYPE;
  }

  @Override
  public Class<MmGemConfig> configClass() {
    return MmGemConfig.class;
  }

  @Override
  public MmGemModel build(ParameterStore.Scope scope, ModelConfig config) {
    return new MmGemModel(scope, (MmGemConfig) config);
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    MmGemModel mm = (MmGemModel) model;
    MmGemConfig config = mm.config();
    int bos = setup.tokenizer().special().bos();
    int maxTokens = Math.min(setup.train().maxTextTokens(), config.maxTextLength());
    PairBatcher batcher = new PairBatcher(setup.tokenizer(), setup.transform(),
        config.embeds() ? tokens -> mm.textIds(tokens, bos) : null, config.generates(),
        config.pool().equals(MmGemConfig.ROI_POOL), maxTokens, setup.firstTargetProbability());
    LmLoss lm = new LmLoss(setup.train().labelSmoothing());
    if (!config.embeds()) {
      return new Training<>(batcher, (PairBatch batch, Objective.Step step) -> {
        NDManager m = step.manager();
        NDArray vemb = mm.imageEmbedding(mm.pooled(batch.pixels(m), batch.regions()));
        NDArray logits = mm.captionLogits(vemb, batch.captionIds(m), batch.captionValid(m));
        return Objective.Loss.named(GENERATION_LOSS, lm.forward(logits, batch.captionTargets(m),
            batch.captionWeights(m)), batch.captionTokens());
      });
    }
    GradientCache.Encoder<PairBatch> encoder = new GradientCache.Encoder<>() {
      @Override
      public int size(PairBatch batch) {
        return batch.size();
      }

      @Override
      public GradientCache.Chunk encode(PairBatch batch, int from, int to, Objective.Step step) {
        PairBatch part = from == 0 && to == batch.size() ? batch : batch.slice(from, to);
        NDManager m = step.manager();
        NDArray vemb = mm.imageEmbedding(mm.pooled(part.pixels(m), part.regions()));   // [n, P]
        NDArray images = InfoNce.normalize(mm.retrievalEmbedding(vemb));               // [n, P]
        NDArray texts = InfoNce.normalize(mm.embedTexts(part.textIds(m), part.textValid(m))); // [n, P]
        if (!config.generates()) {
          return GradientCache.Chunk.of(images, texts);
        }
        NDArray logits = mm.captionLogits(vemb, part.captionIds(m), part.captionValid(m)); // [n, T, V]
        long tokens = part.captionTokens();
        NDArray mean = lm.forward(logits, part.captionTargets(m), part.captionWeights(m));
        return new GradientCache.Chunk(new NDList(images, texts), Scalars.mul(mean, tokens), tokens,
            GENERATION_LOSS);
      }
    };
    GradientCache.BatchLoss embeddingLoss = (NDList embeddings, Objective.Step step) -> {
      NDArray images = embeddings.get(0);
      NDArray scale = mm.temperature().logitScale(images, step.progress());
      InfoNce.Result r = InfoNce.forward(images, embeddings.get(1), scale);
      return Objective.Loss.named(EMBEDDING_LOSS, r.imageToText().add(r.textToImage()), images.getShape().get(0))
          .withStat("temperature", mm.temperature().value(step.progress()));
    };
    return new Training<>(batcher, new GradientCache<>(encoder, embeddingLoss, setup.train().contrastiveChunk()));
  }
}
