package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.GitConfig;
import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.RunLog;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.util.GlimpseException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainRunTest {
  static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

  /** A recipe small enough for unit tests: 32x32 input, 2+2 layers of width 32. */
  static Recipe tiny(int steps) {
    GitConfig model = GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 2, 4)), TransformerConfig.preLn(32, 2, 4)).withMaxTextPositions(32);
    TrainConfig train = TrainConfig.defaults().with(t -> {
      t.steps = steps;
      t.batchSize = 4;
      t.gradAccumulation = 2;
      t.learningRate = 1e-3;
      t.warmupSteps = 3;
      t.beta2 = 0.98;
      t.seed = 7;
      t.logEvery = 1;
      t.maxTextTokens = 32;
    });
    return new Recipe("tiny-test", "unit-test recipe", "captions", model, train, DataConfig.synthetic(1000, 8),
        new TokenizerConfig(400, 2, 200, null), EvalConfig.greedy(16));
  }

  static List<String> lossLines(Path run) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve(RunLog.FILE))) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      out.add(o.get("step").getAsLong() + ":" + o.get("loss").getAsString() + ":" + o.get("grad_norm").getAsString());
    }
    return out;
  }

  @Test
  void resumedRunGivesTheSameLossesAsAStraightRun(@TempDir Path dir) throws Exception {
    Path straight = dir.resolve("straight");
    Path resumed = dir.resolve("resumed");
    TrainRun.run(tiny(20), new TrainRun.Options(straight, false, Long.MAX_VALUE, false, true, QUIET));
    JsonObject first = TrainRun.run(tiny(20), new TrainRun.Options(resumed, false, 10, false, true, QUIET));
    assertEquals(10, first.get("steps").getAsLong());
    assertEquals(false, first.get("complete").getAsBoolean());
    assertEquals(10, Checkpoint.readState(resumed.resolve("checkpoint")).step());
    JsonObject second = TrainRun.run(null, new TrainRun.Options(resumed, true, Long.MAX_VALUE, false, true, QUIET));
    assertEquals(20, second.get("steps").getAsLong());
    List<String> a = lossLines(straight);
    List<String> b = lossLines(resumed);
    assertEquals(20, a.size());
    assertEquals(a, b, "losses and gradient norms must be identical, step by step");
    assertTrue(Files.exists(resumed.resolve("loss.png")));
  }

  @Test
  void refusesToOverwriteAnExistingRunAndResumeNeedsACheckpoint(@TempDir Path dir) {
    Path run = dir.resolve("run");
    TrainRun.run(tiny(2), new TrainRun.Options(run, false, Long.MAX_VALUE, false, true, QUIET));
    GlimpseException e = assertThrows(GlimpseException.class,
        () -> TrainRun.run(tiny(2), new TrainRun.Options(run, false, Long.MAX_VALUE, false, true, QUIET)));
    assertTrue(e.getMessage().contains("--resume"), e.getMessage());
    GlimpseException missing = assertThrows(GlimpseException.class,
        () -> TrainRun.run(null, new TrainRun.Options(dir.resolve("none"), true, Long.MAX_VALUE, false, true, QUIET)));
    assertTrue(missing.getMessage().contains("checkpoint not found"), missing.getMessage());
  }

  @Test
  void theRecipesResizeModeIsTrainedWithAndSavedInTheCheckpoint(@TempDir Path dir) {
    Path run = dir.resolve("run");
    Recipe stretch = tiny(2).withData(tiny(2).data().withResize("stretch"));
    TrainRun.run(stretch, new TrainRun.Options(run, false, Long.MAX_VALUE, false, true, QUIET));
    ImageTransform image = Checkpoint.readConfig(run.resolve("checkpoint")).image();
    assertEquals("stretch", image.resize());
    assertEquals("fit", tiny(2).data().resize(), "fit stays the default");
    GlimpseException bad = assertThrows(GlimpseException.class, () -> RecipeFiles.fromJson(JsonParser.parseString(
        "{\"recipe\": \"quickstart\", \"data\": {\"resize\": \"squash\"}}").getAsJsonObject(), "bad.json"));
    assertTrue(bad.getMessage().contains("resize must be fit, stretch or crop"), bad.getMessage());
  }
}
