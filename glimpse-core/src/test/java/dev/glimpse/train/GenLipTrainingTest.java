package dev.glimpse.train;

import dev.glimpse.nn.TransformerConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.LmBatcher;
import dev.glimpse.data.PackedBatch;
import dev.glimpse.data.PackedBatcher;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.model.GenLipConfig;
import dev.glimpse.model.GenLipModel;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.testing.ToyData;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.HfTokenizer;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GenLIP at native resolution overfits a small dataset through the shared trainer with packed,
 * multi-resolution batches, then captions every image (cut at its own grid) correctly with greedy
 * (cached and recomputed) and beam decoding, in batches that mix grids.
 */
class GenLipTrainingTest {
  @Test
  void overfitsWithPackedBatchesAndCaptionsAtNativeResolution() {
    try (NDManager manager = NDManager.newBaseManager();
        HfTokenizer tok = new BpeTrainer(400, 1).train(ToyData.allCaptions());
        ParameterStore store = new ParameterStore(manager, 1)) {
      GenLipConfig cfg = GenLipConfig.of(32, 8, TransformerConfig.preLn(64, 3, 4)).withVocabSize(tok.vocabSize()).withMaxTextPositions(16).withNativeResolution(16, 9, 16)
          .withPackTokens(64);
      GenLipModel model = new GenLipModel(store.root(), cfg);
      TrainConfig train = TrainConfig.defaults().with(t -> {
        t.steps = 150;
        t.batchSize = 8;
        t.learningRate = 3e-3;
        t.warmupSteps = 10;
        t.weightDecay = 0.01;
        t.labelSmoothing = 0.0;
        t.seed = 3;
        t.maxTextTokens = 16;
      });
      ImageTransform transform = ImageTransform.square(32);
      PackedBatcher batcher = new PackedBatcher(new LmBatcher(tok, transform, 16, 1), cfg.patchSize(), cfg.budgets(),
          cfg.textPositionStart(), cfg.rowTokens());
      ExampleBatchSource<PackedBatch> source = new ExampleBatchSource<>(new ToyData(8), batcher, 8, 1, 3);
      PackedBatch sample = source.batch(0, 0);
      assertTrue(sample.rows() < 8, "sequences must share rows, got " + sample.rows());
      try (AdamW opt = AdamW.of(store, train)) {
        Trainer<PackedBatch> trainer = new Trainer<>(train, store, new PackedLmObjective(model, 0.0), source, opt,
            RunLog.none(), null, true);
        Trainer.Result result = trainer.run(TrainerState.start());
        assertTrue(result.lastLoss() < 0.05, "loss " + result.lastLoss());
      }
      List<BufferedImage> images = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int c = 0; c < ToyData.COLORS.length; c++) {
        for (int p = 0; p < 2; p++) {
          images.add(ToyData.image(c, p, 32));
          expected.add(ToyData.caption(c, p));
        }
      }
      Captioner captioner = new Captioner(model, tok, transform, manager);
      assertEquals(expected, captioner.caption(images, GenerationConfig.greedy(12), 3).stream()
          .map(Captioner.Caption::text).toList());
      assertEquals(expected, captioner.caption(images, GenerationConfig.greedy(12).withCache(false), 8).stream()
          .map(Captioner.Caption::text).toList());
      assertEquals(expected, captioner.caption(images, GenerationConfig.beam(12, 3, 1.0, false), 8).stream()
          .map(Captioner.Caption::text).toList());
    }
  }
}
