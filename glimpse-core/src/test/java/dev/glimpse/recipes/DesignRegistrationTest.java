package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.glimpse.cli.Main;
import dev.glimpse.testing.CliRun;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.RunLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A design registered from the test sources alone (dev.glimpse.testing.probe, listed in the test
 * resources' META-INF/services) trains through {@code glimpse train} with a recipe file, with two
 * objectives logged part by part, and resumes; the training run names no concrete model.
 */
class DesignRegistrationTest {
  private static final String RECIPE = """
      {"name": "probe", "description": "a linear probe with InfoNCE and a bag-of-words loss", "task": "captions",
       "model": {"type": "test-probe", "config": {"imageSize": 16, "dim": 32, "vocabSize": 1, "maxTextPositions": 24}},
       "train": {"steps": STEPS, "batchSize": 16, "gradAccumulation": 1, "learningRate": 0.01, "minLrRatio": 0.1,
                 "warmupSteps": 2, "weightDecay": 0.0, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "gradClip": 1.0,
                 "labelSmoothing": 0.0, "seed": 3, "logEvery": 2, "checkpointEvery": 0, "maxTextTokens": 16},
       "data": {"source": "synthetic", "trainSize": 256, "testSize": 0, "seed": 5},
       "tokenizer": {"vocabSize": 300, "minFrequency": 1, "sampleExamples": 256},
       "eval": {"batchSize": 8, "generation": {"strategy": "GREEDY", "maxNewTokens": 8, "numBeams": 1,
                "lengthPenalty": 1.0, "temperature": 1.0, "topP": 1.0, "useCache": true}}}
      """;

  @Test
  void aDesignFromTheTestSourcesTrainsThroughTheCliWithTwoObjectivesAndResumes(@TempDir Path dir) throws Exception {
    Path recipe = dir.resolve("probe.json");
    Files.writeString(recipe, RECIPE.replace("STEPS", "40"));
    Path run = dir.resolve("run");
    CliRun first = CliRun.of("train", "--config", recipe.toString(), "--out", run.toString(), "--stop-after", "20", "--json");
    assertEquals(0, first.exitCode(), first.err());
    CliRun second = CliRun.of("train", "--resume", "--out", run.toString(), "--json");
    assertEquals(0, second.exitCode(), second.err());
    JsonObject summary = second.json();
    assertEquals(40, summary.get("steps").getAsLong());

    List<String> lines = Files.readAllLines(run.resolve(RunLog.FILE));
    assertEquals(20, lines.size(), "a record every 2 steps");
    double firstItc = 0;
    double lastItc = 0;
    for (int i = 0; i < lines.size(); i++) {
      JsonObject record = JsonParser.parseString(lines.get(i)).getAsJsonObject();
      for (String key : new String[] {"loss", "loss_itc", "loss_bow", "temperature"}) {
        assertTrue(record.has(key), "step " + record.get("step") + " lacks " + key);
      }
      double sum = record.get("loss_itc").getAsDouble() + record.get("loss_bow").getAsDouble();
      assertEquals(record.get("loss").getAsDouble(), sum, 1e-4, "the total is the unweighted sum of the parts");
      if (i < 3) {
        firstItc += record.get("loss_itc").getAsDouble();
      }
      if (i >= lines.size() - 3) {
        lastItc += record.get("loss_itc").getAsDouble();
      }
    }
    assertTrue(lastItc < firstItc * 0.9, "InfoNCE falls: first " + firstItc / 3 + ", last " + lastItc / 3);
    Map<String, List<double[]>> curves = new RunLog(run).lossCurves();
    assertEquals(List.of("loss", "loss_itc", "loss_bow"), List.copyOf(curves.keySet()));
    assertTrue(Files.size(run.resolve(TrainRun.LOSS_PLOT)) > 0);
    assertEquals(ProbeTypes.PROBE, Checkpoint.readConfig(run.resolve(Checkpoint.RUN_CHECKPOINT)).modelType());

    CliRun caption = CliRun.of("caption", "--checkpoint", run.toString(), "src/test/resources/images/chelsea.png");
    assertEquals(Main.EXIT_USER_ERROR, caption.exitCode());
    assertTrue(caption.err().contains("does not generate text"), caption.err());
  }

  @Test
  void theTrainingRunNamesNoConcreteModel() throws Exception {
    for (String file : new String[] {"src/main/java/dev/glimpse/recipes/TrainRun.java",
        "src/main/java/dev/glimpse/recipes/RunStart.java", "src/main/java/dev/glimpse/train/Trainer.java"}) {
      String source = Files.readString(Path.of(file));
      Matcher m = Pattern.compile("\\b(Git|GenLip|Llava|Blip2|Clip|MmGem|Vlv|Flamingo)\\w*(Model|Config)\\b")
          .matcher(source);
      assertFalse(m.find(), file + " names " + (m.hitEnd() ? "" : m.group()));
    }
  }

  private static final class ProbeTypes {
    static final String PROBE = dev.glimpse.testing.probe.ProbeConfig.TYPE;
  }
}
