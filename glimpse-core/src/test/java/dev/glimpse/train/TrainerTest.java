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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {

  @Test
  void overfitsOneSmallDatasetAndCaptionsIt() {
    try (NDManager manager = NDManager.newBaseManager();
        HfTokenizer tok = new BpeTrainer(400, 1).train(ToyData.allCaptions());
        ParameterStore store = new ParameterStore(manager, 1)) {
      GitConfig cfg = GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(64, 2, 4)), TransformerConfig.preLn(64, 2, 4)).withVocabSize(tok.vocabSize()).withMaxTextPositions(16);
      GitModel model = new GitModel(store.root(), cfg);
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
      LmBatchSource source = new LmBatchSource(new ToyData(8), new LmBatcher(tok, transform, 16, 1), 8, 1, 3);
      try (AdamW opt = AdamW.of(store, train)) {
        Trainer<LmBatch> trainer = new Trainer<>(train, store, new LmObjective(model, 0.0), source, opt,
            RunLog.none(), null, true);
        Trainer.Result result = trainer.run(TrainerState.start());
        assertTrue(result.lastLoss() < 0.05, "loss " + result.lastLoss());
      }
      List<java.awt.image.BufferedImage> images = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (int c = 0; c < ToyData.COLORS.length; c++) {
        for (int p = 0; p < 2; p++) {
          images.add(ToyData.image(c, p, 32));
          expected.add(ToyData.caption(c, p));
        }
      }
      Captioner captioner = new Captioner(model, tok, transform, manager);
      List<String> greedy = captioner.caption(images, GenerationConfig.greedy(12), 3).stream()
          .map(Captioner.Caption::text).toList();
      assertEquals(expected, greedy);
      List<String> uncached = captioner.caption(images, GenerationConfig.greedy(12).withCache(false), 8).stream()
          .map(Captioner.Caption::text).toList();
      assertEquals(expected, uncached);
      List<String> beam = captioner.caption(images, GenerationConfig.beam(12, 3, 1.0, false), 8).stream()
          .map(Captioner.Caption::text).toList();
      assertEquals(expected, beam);
    }
  }
}
