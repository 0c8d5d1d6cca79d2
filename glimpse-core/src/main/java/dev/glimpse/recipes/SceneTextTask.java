package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.SceneTextGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SuiteFiles;
import dev.glimpse.data.synth.SyntheticSceneText;
import dev.glimpse.data.synth.TextScene;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Captioning and reading small scene text in wide and tall images (the GenLIP comparison): scenes from
 * {@link SceneTextGenerator.Layout#WIDE_TALL_SMALL_TEXT}. Even items are captions (no prompt, six
 * references quoting the word), odd items ask {@value SyntheticSceneText#QUESTION} with the word as the
 * target. Evaluation reports caption {@code CIDEr} on the caption items and {@code exact_match} (the
 * headline) on the reading items, also split into wide and tall images ({@code exact_match_wide},
 * {@code exact_match_tall}) and for text under 12 px ({@code exact_match_small_text}).
 */
public final class SceneTextTask implements Task {
  public static final String NAME = "scenetext";
  static final double SMALL_TEXT_PX = 12;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String headline() {
    return "exact_match";
  }

  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    SceneTextGenerator generator = new SceneTextGenerator(SceneConfig.defaults().withSeed(data.seed()),
        SceneTextGenerator.Layout.WIDE_TALL_SMALL_TEXT);
    SyntheticSceneText captions = new SyntheticSceneText(generator, split, size, SyntheticSceneText.Task.CAPTIONS);
    SyntheticSceneText reading = new SyntheticSceneText(generator, split, size, SyntheticSceneText.Task.VQA);
    return new Dataset() {
      @Override
      public String name() {
        return "synthetic-scenetext-wide-tall/" + split.id();
      }

      @Override
      public int size() {
        return size;
      }

      @Override
      public Example get(int index) {
        if (index % 2 == 0) {
          return captions.get(index);
        }
        Example vqa = reading.get(index);
        return vqa.withTexts(vqa.prompt(), List.of(vqa.get(TextScene.KEY).word()));
      }
    };
  }

  @Override
  public Optional<SuiteFiles.Written> writeSuite(SceneGenerator scenes, Split split, int count, Path folder,
      IntConsumer step) {
    return Optional.of(SuiteFiles.writeSceneText(new SceneTextGenerator(scenes.config()), split, count, folder, step));
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    List<Example> all = TaskSupport.examples(test, info);
    List<Example> captions = new ArrayList<>();
    List<Example> reading = new ArrayList<>();
    for (Example ex : all) {
      (ex.prompt().isEmpty() ? captions : reading).add(ex);
    }
    JsonObject out = new JsonObject();
    if (!captions.isEmpty()) {
      JsonObject c = CaptionTask.score(captions, TaskSupport.generate(model, captions, eval, null),
          outDir == null ? null : outDir.resolve("captions"));
      out.add("CIDEr", c.get("CIDEr"));
      out.add("caption_metrics", c.get("caption_metrics"));
      out.add("caption_samples", c.get("samples"));
    }
    List<String> read = reading.isEmpty() ? List.of() : TaskSupport.generate(model, reading, eval, null);
    int[] any = new int[2];
    int[] wide = new int[2];
    int[] tall = new int[2];
    int[] small = new int[2];
    for (int i = 0; i < reading.size(); i++) {
      Example ex = reading.get(i);
      boolean hit = OcrTask.normalise(read.get(i)).equals(OcrTask.normalise(ex.targets().get(0)));
      count(any, hit);
      TextScene scene = ex.get(TextScene.KEY);
      if (scene != null) {
        count(scene.width() > scene.height() ? wide : tall, hit);
        if (scene.textHeight() < SMALL_TEXT_PX) {
          count(small, hit);
        }
      }
    }
    out.addProperty("exact_match", TaskSupport.fraction(any[1], any[0]));
    out.addProperty("exact_match_wide", TaskSupport.fraction(wide[1], wide[0]));
    out.addProperty("exact_match_tall", TaskSupport.fraction(tall[1], tall[0]));
    out.addProperty("exact_match_small_text", TaskSupport.fraction(small[1], small[0]));
    out.addProperty("reading_examples", reading.size());
    out.addProperty("small_text_examples", small[0]);
    out.add("reading_samples", TaskSupport.samples(reading, read, 8));
    if (outDir != null) {
      Json.write(outDir.resolve("reading_results.json"), OcrTask.readingResults(reading, read));
      Json.write(outDir.resolve("metrics.json"), out);
    }
    return out;
  }

  private static void count(int[] counts, boolean hit) {
    counts[0]++;
    counts[1] += hit ? 1 : 0;
  }
}
