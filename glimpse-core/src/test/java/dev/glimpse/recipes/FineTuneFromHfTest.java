package dev.glimpse.recipes;

import dev.glimpse.nn.TransformerConfig;
import dev.glimpse.nn.VisionConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.hf.HfModel;
import dev.glimpse.model.GitConfig;
import dev.glimpse.train.RunLog;
import dev.glimpse.train.TrainConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning with the shared recipes from HuggingFace folders (train --init). */
class FineTuneFromHfTest {
  static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

  /** A tiny captioning run: 8 synthetic images, batches of 4; the model comes from --init. */
  static Recipe recipe(int steps) {
    TrainConfig train = TrainConfig.defaults().with(t -> {
      t.steps = steps;
      t.batchSize = 4;
      t.learningRate = 2e-3;
      t.minLrRatio = 1.0;
      t.warmupSteps = 0;
      t.weightDecay = 0.0;
      t.beta2 = 0.98;
      t.labelSmoothing = 0.0;
      t.seed = 3;
      t.logEvery = 1;
      t.maxTextTokens = 24;
    });
    return new Recipe("finetune-test", "unit test", "captions", GitConfig.of(VisionConfig.vit(32, 8, TransformerConfig.preLn(32, 1, 4)), TransformerConfig.preLn(32, 1, 4)).withMaxTextPositions(32), train,
        DataConfig.synthetic(8, 4), new TokenizerConfig(400, 2, 50, null), EvalConfig.greedy(8));
  }

  static Path folder(Path tmp, String fixture, String tokenizer) throws IOException, URISyntaxException {
    Path dir = Files.createDirectories(tmp.resolve(fixture));
    for (String source : new String[] {"/fixtures/hf/" + fixture, "/fixtures/hf-tokenizers/" + tokenizer}) {
      try (Stream<Path> files = Files.list(Path.of(FineTuneFromHfTest.class.getResource(source).toURI()))) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          if (!name.startsWith("inputs.") && !name.startsWith("outputs.")) {
            Files.copy(f, dir.resolve(name));
          }
        }
      }
    }
    return dir;
  }

  static List<Double> losses(Path run) throws IOException {
    List<Double> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve(RunLog.FILE))) {
      out.add(JsonParser.parseString(line).getAsJsonObject().get("loss").getAsDouble());
    }
    return out;
  }

  @Test
  void gitFromHfFolderLearnsAndExportsBack(@TempDir Path tmp) throws Exception {
    Path init = folder(tmp, "git", "wordpiece-99");
    Path run = tmp.resolve("run");
    JsonObject summary = TrainRun.run(recipe(12), new TrainRun.Options(run, false, Long.MAX_VALUE, true, true, QUIET,
        init));
    assertEquals(12, summary.get("steps").getAsLong());
    List<Double> losses = losses(run);
    double first = (losses.get(0) + losses.get(1)) / 2;
    double last = (losses.get(10) + losses.get(11)) / 2;
    assertTrue(last < first - 0.5, "loss should fall on 8 images: " + losses);
    assertTrue(summary.has("caption_metrics"), summary.toString()); // the recipe's evaluation ran

    // the fine-tuned checkpoint keeps the HF config and exports back to the HF layout
    Path exported = tmp.resolve("exported");
    try (NDManager manager = NDManager.newBaseManager();
        HfModel m = HfModel.load(run.resolve("checkpoint"), manager)) {
      assertEquals("git", m.hfType());
      m.export(exported);
    }
    assertEquals(JsonParser.parseString(Files.readString(init.resolve("config.json"))),
        JsonParser.parseString(Files.readString(exported.resolve("config.json"))));
    assertTrue(Files.exists(exported.resolve("tokenizer.json")));
    try (NDManager manager = NDManager.newBaseManager(); HfModel m = HfModel.load(exported, manager)) {
      assertEquals("git", m.hfType()); // the exported folder loads as an HF model again
    }
  }

  @Test
  void llavaAndBlip2FromHfFoldersTrain(@TempDir Path tmp) throws Exception {
    String[][] cases = {{"llava", "llama-bpe-120"}, {"blip2", "opt-bpe-120"}};
    for (String[] c : cases) {
      Path run = tmp.resolve("run-" + c[0]);
      JsonObject summary = TrainRun.run(recipe(4), new TrainRun.Options(run, false, Long.MAX_VALUE, false, true, QUIET,
          folder(tmp, c[0], c[1])));
      assertEquals(4, summary.get("steps").getAsLong());
      List<Double> losses = losses(run);
      assertTrue(losses.stream().allMatch(Double::isFinite), c[0] + ": " + losses);
      assertTrue(losses.get(3) < losses.get(0), c[0] + ": " + losses);
    }
  }
}
