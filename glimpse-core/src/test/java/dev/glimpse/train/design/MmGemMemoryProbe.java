package dev.glimpse.train.design;

import ai.djl.ndarray.NDManager;
import dev.glimpse.data.Example;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.PairBatch;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.model.MmGemConfig;
import dev.glimpse.model.MmGemModel;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.train.Objective;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.train.Training;
import dev.glimpse.train.TrainingSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Run in its own JVM by {@link MmGemGradientCacheTest}: a warm-up step at batch 32, then one step at
 * batch 256 with the given chunk (0 = the plain batch); prints how much the peak resident memory rose
 * above the resident memory before that step.
 */
public final class MmGemMemoryProbe {
  public static void main(String[] args) throws Exception {
    int chunk = Integer.parseInt(args[0]);
    SceneGenerator scenes = new SceneGenerator(SceneConfig.defaults().withSeed(5));
    SyntheticCaptions data = new SyntheticCaptions(scenes, Split.TRAIN, MmGemGradientCacheTest.BATCH);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      examples.add(data.get(i));
    }
    try (Tokenizer tokenizer = MmGemGradientCacheTest.tokenizer(examples);
        NDManager manager = NDManager.newBaseManager()) {
      ParameterStore store = new ParameterStore(manager, 11);
      MmGemConfig config = MmGemGradientCacheTest.tinyConfig(tokenizer.vocabSize(), false, 64, 48);
      MmGemModel model = new MmGemModel(store.root(), config);
      step(model, config, tokenizer, examples.subList(0, 32), 0, manager);
      Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM to the current RSS
      long before = status("VmRSS");
      step(model, config, tokenizer, examples, chunk, manager);
      System.out.println("growth_kb " + (status("VmHWM") - before));
    }
  }

  private static void step(MmGemModel model, MmGemConfig config, Tokenizer tokenizer, List<Example> examples,
      int chunk, NDManager manager) {
    TrainConfig train = TrainConfig.defaults().with(t -> {
      t.batchSize = examples.size();
      t.maxTextTokens = 24;
      t.gradientCacheChunk = chunk == 0 ? null : chunk;
    });
    @SuppressWarnings("unchecked")
    Training<PairBatch> training = (Training<PairBatch>) new MmGemDesign().training(model,
        new TrainingSetup(config, tokenizer, ImageTransform.square(config.imageSize()), train, 0, false));
    PairBatch batch = training.batcher().batch(examples, new SplittableRandom(3));
    try (NDManager step = manager.newSubManager()) {
      training.objective().backward(batch, Objective.Step.of(step));
    }
  }

  static long status(String field) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no " + field + " in /proc/self/status");
  }
}
