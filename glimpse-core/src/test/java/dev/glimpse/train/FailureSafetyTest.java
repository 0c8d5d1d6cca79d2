package dev.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.data.LmBatch;
import dev.glimpse.data.LmBatcher;
import dev.glimpse.model.GitConfig;
import dev.glimpse.model.GitModel;
import dev.glimpse.nn.ParameterStore;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.testing.ToyData;
import dev.glimpse.tokenize.BpeTrainer;
import dev.glimpse.tokenize.HfTokenizer;
import dev.glimpse.tokenize.SpecialTokens;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A NaN loss stops training with a clear error; a failed checkpoint write keeps the previous one. */
class FailureSafetyTest {
  @Test
  void nanLossStopsWithAClearErrorAndKeepsTheLastCheckpoint(@TempDir Path dir) {
    try (NDManager manager = NDManager.newBaseManager();
        HfTokenizer tok = new BpeTrainer(300, 1).train(ToyData.allCaptions());
        ParameterStore store = new ParameterStore(manager, 1)) {
      GitModel model = new GitModel(store.root(), GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 1, 4)), TransformerConfig.preLn(32, 1, 4)).withVocabSize(tok.vocabSize()).withMaxTextPositions(16));
      TrainConfig cfg = TrainConfig.defaults().with(t -> {
        t.steps = 10;
        t.batchSize = 4;
        t.learningRate = 1e-3;
        t.warmupSteps = 1;
        t.weightDecay = 0.0;
        t.labelSmoothing = 0.0;
        t.seed = 1;
        t.logEvery = 1;
        t.checkpointEvery = 2;
        t.maxTextTokens = 16;
      });
      LmBatchSource source = new LmBatchSource(new ToyData(8), new LmBatcher(tok, ImageTransform.square(32), 16, 1),
          4, 1, 1);
      LmObjective real = new LmObjective(model, 0.0);
      int[] calls = {0};
      Objective<LmBatch> poisoned = (batch, m) -> {
        Objective.Loss l = real.loss(batch, m);
        return ++calls[0] == 5 ? new Objective.Loss(l.value().mul(Float.NaN), l.tokens()) : l;
      };
      Path ckpt = dir.resolve("checkpoint");
      CheckpointConfig config = new CheckpointConfig(model.config(), ImageTransform.square(32), null, List.of(), null,
          null);
      try (AdamW opt = AdamW.of(store, cfg)) {
        Trainer<LmBatch> trainer = new Trainer<>(cfg, store, poisoned, source, opt, RunLog.none(),
            state -> Checkpoint.write(ckpt, config, store, tok, opt, state), true);
        GlimpseException e = assertThrows(GlimpseException.class, () -> trainer.run(TrainerState.start()));
        assertTrue(e.getMessage().contains("loss is NaN at step 5"), e.getMessage());
      }
      assertEquals(4, Checkpoint.readState(ckpt).step(), "the checkpoint of step 4 is kept");
    }
  }

  @Test
  void aFailedCheckpointWriteLeavesThePreviousCheckpointIntact(@TempDir Path dir) throws Exception {
    try (NDManager manager = NDManager.newBaseManager();
        HfTokenizer tok = new BpeTrainer(300, 1).train(ToyData.allCaptions());
        ParameterStore store = new ParameterStore(manager, 1)) {
      GitConfig gitConfig = GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 1, 4)),
          TransformerConfig.preLn(32, 1, 4)).withVocabSize(tok.vocabSize()).withMaxTextPositions(16);
      new GitModel(store.root(), gitConfig);
      Path ckpt = dir.resolve("checkpoint");
      CheckpointConfig config = new CheckpointConfig(gitConfig, ImageTransform.square(32), null, List.of(), null, null);
      Checkpoint.write(ckpt, config, store, tok, null, new TrainerState(1, 0, 0, 0));
      byte[] before = Files.readAllBytes(ckpt.resolve(Checkpoint.WEIGHTS));
      store.get(store.all().iterator().next().name()).array().addi(1f);
      Tokenizer failing = new Tokenizer() {
        @Override public int[] encode(String text) { return tok.encode(text); }
        @Override public String decode(int[] ids) { return tok.decode(ids); }
        @Override public int vocabSize() { return tok.vocabSize(); }
        @Override public SpecialTokens special() { return tok.special(); }
        @Override public void save(Path d, String prefix) { throw new GlimpseException("disk full (simulated)"); }
        @Override public void close() {}
      };
      assertThrows(GlimpseException.class,
          () -> Checkpoint.write(ckpt, config, store, failing, null, new TrainerState(2, 0, 0, 0)));
      assertArrayEquals(before, Files.readAllBytes(ckpt.resolve(Checkpoint.WEIGHTS)));
      assertEquals(1, Checkpoint.readState(ckpt).step());
      try (Stream<Path> left = Files.list(dir)) {
        assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".tmp")), "staging folder removed");
      }
    }
  }
}
