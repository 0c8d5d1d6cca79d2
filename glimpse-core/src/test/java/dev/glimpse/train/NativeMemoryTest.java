package dev.glimpse.train;

import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.LmBatch;
import dev.glimpse.data.LmBatcher;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.GitModel;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.testing.ToyData;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.HfTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Native memory stays flat: 300 training steps (and repeated decoding) must neither grow the
 * process's resident memory beyond noise nor leave tensors attached to the long-lived managers.
 */
class NativeMemoryTest {
  /** Resident memory outside the Java heap and JVM non-heap pools, in MiB (-1 where /proc is missing). */
  static double nativeMiB() {
    double rss = rssMiB();
    if (rss < 0) {
      return -1;
    }
    var mem = java.lang.management.ManagementFactory.getMemoryMXBean();
    return rss - (mem.getHeapMemoryUsage().getCommitted() + mem.getNonHeapMemoryUsage().getCommitted()) / 1048576.0;
  }

  /** Resident set size in MiB (Linux /proc), or -1 elsewhere. */
  static double rssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }

  @Test
  void trainingAndDecodingKeepNativeMemoryFlat() {
    try (NDManager manager = NDManager.newBaseManager();
        HfTokenizer tok = new BpeTrainer(400, 1).train(ToyData.allCaptions());
        ParameterStore store = new ParameterStore(manager, 1)) {
      GitModel model = new GitModel(store.root(), GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(64, 2, 4)), TransformerConfig.preLn(64, 2, 4)).withVocabSize(tok.vocabSize()).withMaxTextPositions(16));
      ImageTransform transform = ImageTransform.square(32);
      LmBatchSource source = new LmBatchSource(new ToyData(64), new LmBatcher(tok, transform, 16, 1), 8, 1, 3);
      TrainConfig cfg = TrainConfig.defaults().with(t -> {
        t.steps = 300;
        t.batchSize = 8;
        t.learningRate = 1e-3;
        t.warmupSteps = 10;
        t.weightDecay = 0.01;
        t.seed = 3;
        t.logEvery = 50;
        t.maxTextTokens = 16;
      });
      try (AdamW opt = AdamW.of(store, cfg)) {
        Trainer<LmBatch> trainer = new Trainer<>(cfg, store, new LmObjective(model, 0.1), source, opt,
            RunLog.none(), null, true);
        int arraysBefore = manager.getManagedArrays().size();
        trainer.run(TrainerState.start(), 50); // warm-up: allocator pools, kernels
        int arraysWarm = manager.getManagedArrays().size();
        assertEquals(arraysBefore, arraysWarm, "warm-up left tensors behind");
        // 250 more steps, sampling native memory every 25 (it fluctuates with the allocator: compare averages)
        double[] samples = new double[10];
        for (int i = 0; i < 10; i++) {
          trainer.run(new TrainerState(50 + 25L * i, 0, 0, 0), 75 + 25L * i);
          System.gc();
          samples[i] = nativeMiB();
          assertEquals(arraysWarm, manager.getManagedArrays().size(), "tensors left behind by training steps");
        }
        if (samples[0] > 0) {
          double early = (samples[0] + samples[1] + samples[2]) / 3;
          double late = (samples[7] + samples[8] + samples[9]) / 3;
          assertTrue(late - early < 64, "native memory grew from " + early + " to " + late + " MiB: "
              + java.util.Arrays.toString(samples));
        }
      }
      Captioner captioner = new Captioner(model, tok, transform, manager);
      List<java.awt.image.BufferedImage> images = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        images.add(ToyData.image(i % 4, i % 2, 32));
      }
      captioner.caption(images, GenerationConfig.beam(10, 3, 1.0, false), 8);
      int arrays = manager.getManagedArrays().size();
      // 30 rounds, sampling every 3: a single before/after pair is at the mercy of the allocator and of
      // the heap the JVM commits or gives back around a GC, so compare averages as for training
      double[] decodeSamples = new double[10];
      for (int i = 0; i < 30; i++) {
        captioner.caption(images, GenerationConfig.beam(10, 3, 1.0, false), 8);
        captioner.caption(images, GenerationConfig.greedy(10).withCache(false), 8);
        if (i % 3 == 2) {
          System.gc();
          decodeSamples[i / 3] = nativeMiB();
        }
      }
      assertEquals(arrays, manager.getManagedArrays().size(), "tensors left behind by decoding");
      if (decodeSamples[0] > 0) {
        double early = (decodeSamples[0] + decodeSamples[1] + decodeSamples[2]) / 3;
        double late = (decodeSamples[7] + decodeSamples[8] + decodeSamples[9]) / 3;
        assertTrue(late - early < 64, "native memory grew during decoding from " + early + " to " + late + " MiB: "
            + java.util.Arrays.toString(decodeSamples));
      }
    }
  }
}
