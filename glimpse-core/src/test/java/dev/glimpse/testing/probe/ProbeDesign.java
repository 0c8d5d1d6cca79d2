package dev.glimpse.testing.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.glimpse.data.Example;
import dev.glimpse.data.ExampleBatcher;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.loss.InfoNce;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.train.Objective;
import dev.glimpse.train.TrainableDesign;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import dev.glimpse.train.WeightedSum;
import java.util.List;

/** The probe's registration: its config, its builder, its batches and its two objectives. */
public final class ProbeDesign implements TrainableDesign {
  @Override
  public String type() {
    return ProbeConfig.TYPE;
  }

  @Override
  public Class<ProbeConfig> configClass() {
    return ProbeConfig.class;
  }

  @Override
  public ProbeModel build(ParameterStore.Scope scope, ModelConfig config) {
    return new ProbeModel(scope, (ProbeConfig) config);
  }

  @Override
  public Training<?> training(Object model, TrainingSetup setup) {
    ProbeModel probe = (ProbeModel) model;
    Objective<ProbeBatch> contrastive = (batch, step) -> {
      NDArray image = ProbeModel.unit(probe.imageFeatures(batch.pixels(step.manager())));
      NDArray text = ProbeModel.unit(probe.textFeatures(batch.ids(step.manager()), batch.weights(step.manager())));
      NDArray scale = probe.temperature.logitScale(image, step.progress());
      return Objective.Loss.named("loss_itc", InfoNce.forward(image, text, scale).loss(), batch.size())
          .withStat("temperature", probe.temperature.value(step.progress()));
    };
    Objective<ProbeBatch> bagOfWords = (batch, step) -> {
      NDArray logProbs = probe.bagOfWords(probe.imageFeatures(batch.pixels(step.manager()))).logSoftmax(-1); // [B, V]
      NDArray ids = batch.ids(step.manager());
      NDArray weights = batch.weights(step.manager());
      NDArray picked = logProbs.gather(ids.toType(DataType.INT64, false), 1);                          // [B, T]
      NDArray loss = picked.mul(weights).sum().neg().div(weights.sum().maximum(1f));
      return Objective.Loss.named("loss_bow", loss, batch.size());
    };
    return new Training<>(batcher(setup.tokenizer(), setup.transform(), setup.train().maxTextTokens()),
        WeightedSum.of(contrastive, bagOfWords));
  }

  private static ExampleBatcher<ProbeBatch> batcher(Tokenizer tokenizer, ImageTransform transform, int length) {
    return (List<Example> examples, java.util.SplittableRandom random) -> {
      int n = examples.size();
      float[] pixels = new float[n * transform.floats()];
      long[] ids = new long[n * length];
      float[] weights = new float[n * length];
      for (int i = 0; i < n; i++) {
        Example ex = examples.get(i);
        transform.apply(ex.image(), pixels, i * transform.floats());
        int[] tokens = tokenizer.encode(ex.targets().get(0));
        for (int t = 0; t < Math.min(length, tokens.length); t++) {
          ids[i * length + t] = tokens[t];
          weights[i * length + t] = 1;
        }
      }
      return new ProbeBatch(n, transform.height(), pixels, length, ids, weights);
    };
  }
}
