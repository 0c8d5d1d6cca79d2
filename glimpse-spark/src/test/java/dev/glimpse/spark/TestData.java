package dev.glimpse.spark;

import com.google.gson.JsonParser;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.recipes.RecipeFiles;
import dev.glimpse.recipes.TrainRun;
import dev.glimpse.util.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Models and images the tests share, made once per test JVM. */
public final class TestData {
  /** A very small captioner, trained for a few steps on synthetic scenes (as the core's CLI tests do). */
  static final String RECIPE = """
      {"recipe": "quickstart",
       "train": {"steps": 12, "batchSize": 4, "logEvery": 4, "warmupSteps": 1, "checkpointEvery": 12, "seed": 5},
       "data": {"trainSize": 200, "testSize": 4},
       "tokenizer": {"sampleExamples": 100},
       "model": {"config": {
         "vision": {"imageSize": 32, "encoder": {"width": 32, "layers": 1, "heads": 4, "kvHeads": 4, "mlpHidden": 64}},
         "decoder": {"width": 32, "layers": 1, "heads": 4, "kvHeads": 4, "mlpHidden": 64}}}}
      """;

  /** A very small MM-GEM ({@code objectives} as its recipe takes them), trained for a few steps. */
  static final String MMGEM_RECIPE = """
      {"recipe": "mmgem-quick",
       "train": {"steps": 6, "batchSize": 8, "warmupSteps": 1, "checkpointEvery": 0, "seed": 5},
       "data": {"trainSize": 200, "testSize": 0},
       "tokenizer": {"vocabSize": 300, "sampleExamples": 200},
       "model": {"config": {
         "vision": {"imageSize": 16, "patchSize": 8, "encoder": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64}},
         "text": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64},
         "embeddingDim": 24, "contextTokens": 2, "objectives": "%s"}}}
      """;

  /** A very small CLIP trained by Glimpse (the clip-quick recipe, shrunk). */
  static final String CLIP_RECIPE = """
      {"recipe": "clip-quick",
       "train": {"steps": 6, "batchSize": 8, "warmupSteps": 1, "checkpointEvery": 0, "seed": 5},
       "data": {"trainSize": 200, "testSize": 0},
       "tokenizer": {"vocabSize": 300, "sampleExamples": 200},
       "model": {"config": {
         "vision": {"imageSize": 16, "patchSize": 8, "encoder": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64}},
         "text": {"width": 32, "layers": 1, "heads": 2, "kvHeads": 2, "mlpHidden": 64},
         "projectionDim": 16}}}
      """;

  private static Path root;
  private static Path run;
  private static final java.util.Map<String, Path> trained = new java.util.HashMap<>();

  private TestData() {}

  static synchronized Path root() {
    if (root == null) {
      try {
        root = Files.createTempDirectory("glimpse-spark-test-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path r = root;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> AtomicFiles.deleteRecursively(r)));
    }
    return root;
  }

  /** A run folder (checkpoint/ with optimizer state) of the tiny captioner. */
  public static synchronized Path captionerRun() {
    if (run == null) {
      Path out = root().resolve("run");
      TrainRun.run(RecipeFiles.fromJson(JsonParser.parseString(RECIPE).getAsJsonObject(), "test recipe"),
          new TrainRun.Options(out, false, Long.MAX_VALUE, false, true, new PrintStream(OutputStream.nullOutputStream())));
      run = out;
    }
    return run;
  }

  /** A run folder of a tiny MM-GEM: {@code objectives} "both" (MM-GEM) or "generation" (caption-only). */
  public static Path mmgemRun(String objectives) {
    return train("mmgem-" + objectives, MMGEM_RECIPE.formatted(objectives));
  }

  /** A run folder of a tiny CLIP trained by Glimpse. */
  public static Path clipRun() {
    return train("clip", CLIP_RECIPE);
  }

  private static synchronized Path train(String name, String recipe) {
    return trained.computeIfAbsent(name, n -> {
      Path out = root().resolve(n);
      TrainRun.run(RecipeFiles.fromJson(JsonParser.parseString(recipe).getAsJsonObject(), "test recipe " + n),
          new TrainRun.Options(out, false, Long.MAX_VALUE, false, true, new PrintStream(OutputStream.nullOutputStream())));
      return out;
    });
  }

  /** The tiny HF CLIP model (with its tokenizer) of the test resources. */
  public static Path clip() {
    try {
      return Path.of(TestData.class.getResource("/fixtures/clip").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code n} synthetic scenes as PNG files scene-00000.png... in a new folder {@code name}. */
  public static Path scenes(String name, int n, long seed) {
    Path dir = root().resolve(name);
    try {
      Files.createDirectories(dir);
      SceneGenerator generator = new SceneGenerator(SceneConfig.defaults().withSeed(seed).withSides(32, 64));
      for (int i = 0; i < n; i++) {
        BufferedImage image = generator.render(generator.scene(Split.TEST, i));
        ImageIO.write(image, "png", dir.resolve(String.format(Locale.ROOT, "scene-%05d.png", i)).toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** Sorted image files of a folder. */
  public static List<Path> files(Path dir) {
    try (var list = Files.list(dir)) {
      return new ArrayList<>(list.filter(Files::isRegularFile).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
