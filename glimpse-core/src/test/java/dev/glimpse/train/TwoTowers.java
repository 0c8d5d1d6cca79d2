package dev.glimpse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.loss.InfoNce;
import dev.glimpse.loss.Temperature;
import dev.glimpse.nn.Init;
import dev.glimpse.nn.Parameter;
import dev.glimpse.nn.ParameterStore;
import java.util.SplittableRandom;

/**
 * A small two-tower contrastive model for the gradient-caching tests: each tower is
 * {@code tanh(x W1) * sigmoid(x W1) W2}, L2-normalised; a learned temperature; an optional local
 * loss (the squared norm of the image features, summed per example) stands in for MM-GEM's
 * captioning loss. {@code hidden} sets how much activation memory an example holds.
 */
final class TwoTowers {
  final Parameter imageIn;
  final Parameter imageOut;
  final Parameter textIn;
  final Parameter textOut;
  final Temperature temperature;
  final NDArray images; // [N, IN]
  final NDArray texts;  // [N, IN]
  final boolean local;

  TwoTowers(ParameterStore store, NDManager data, int n, int in, int hidden, int dim, boolean local) {
    ParameterStore.Scope s = store.root();
    imageIn = s.weight("image.in", Init.normal(0.1), in, hidden);
    imageOut = s.weight("image.out", Init.normal(0.1), hidden, dim);
    textIn = s.weight("text.in", Init.normal(0.1), in, hidden);
    textOut = s.weight("text.out", Init.normal(0.1), hidden, dim);
    temperature = Temperature.learnable(s.sub("temperature"), 0.07, 0.01);
    SplittableRandom random = new SplittableRandom(7);
    images = data.create(gaussian(random, n * in), new Shape(n, in));
    texts = data.create(gaussian(random, n * in), new Shape(n, in));
    this.local = local;
  }

  private static float[] gaussian(SplittableRandom random, int size) {
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = (float) (random.nextGaussian());
    }
    return out;
  }

  private static NDArray tower(NDArray x, Parameter in, Parameter out) {
    NDArray h = x.matMul(in.array());                                   // [n, hidden]
    return h.tanh().mul(h.getNDArrayInternal().sigmoid()).matMul(out.array()); // [n, dim]
  }

  GradientCache.Encoder<Integer> encoder() {
    return new GradientCache.Encoder<>() {
      @Override
      public int size(Integer batch) {
        return batch;
      }

      @Override
      public GradientCache.Chunk encode(Integer batch, int from, int to, Objective.Step step) {
        NDArray image = tower(images.get(from + ":" + to), imageIn, imageOut);
        NDArray text = tower(texts.get(from + ":" + to), textIn, textOut);
        NDArray localSum = local ? image.square().sum() : null;
        return new GradientCache.Chunk(new NDList(InfoNce.normalize(image), InfoNce.normalize(text)), localSum,
            local ? to - from : 0, local ? "loss_norm" : null);
      }
    };
  }

  GradientCache.BatchLoss infoNce() {
    return (embeddings, step) -> Objective.Loss.named("loss_itc", InfoNce.forward(embeddings.get(0), embeddings.get(1),
        temperature.logitScale(embeddings.get(0), step.progress())).loss(), embeddings.get(0).getShape().get(0));
  }
}
