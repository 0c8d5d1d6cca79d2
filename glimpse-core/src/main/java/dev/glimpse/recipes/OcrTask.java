package dev.glimpse.recipes;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneTextGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticSceneText;
import dev.glimpse.data.synth.TextScene;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scene-text reading (GIT section 4.4): the target is the text on the sign, generated from the image
 * alone. {@code exact_match}: the generated text equals the word (case and surrounding space
 * ignored). Also reported for words of at most 6 letters in images whose shorter side is at least
 * 96 px, and by word length.
 */
public final class OcrTask implements Task {
  public static final String NAME = "ocr";
  static final int SHORT_WORD = 6;
  static final int MIN_SIDE = 96;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String headline() {
    return "exact_match";
  }

  @Override
  public boolean mixesCleanText() {
    return true;
  }

  /**
   * The signs of a split; for training with {@code data.cleanTextMix} > 0, clean close-ups of signs
   * ({@link SceneTextGenerator.Layout#CLEAN_CLOSE_UP}) make up that share of the examples, or a
   * share that moves to {@code data.cleanTextMixEnd} over the run.
   */
  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    SceneConfig scenes = SceneConfig.defaults().withSeed(data.seed());
    Dataset signs = new SyntheticSceneText(new SceneTextGenerator(scenes), split, size, SyntheticSceneText.Task.OCR);
    return TaskSupport.mixIntoTraining(signs, split, data.cleanTextMix(),
        data.schedulesCleanText() ? data.cleanTextMixEnd() : null, data.cleanTextHold(), data.cleanTextRamp(),
        () -> new SyntheticSceneText(new SceneTextGenerator(scenes, SceneTextGenerator.Layout.CLEAN_CLOSE_UP), split,
            size, SyntheticSceneText.Task.OCR));
  }

  /** Reading's suite files are the scene-text task's (TextOCR). */
  @Override
  public boolean hasSuiteFiles() {
    return false;
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    List<Example> examples = TaskSupport.examples(test, info);
    List<String> read = TaskSupport.generate(model, examples, eval, null);
    int hits = 0;
    int subset = 0;
    int subsetHits = 0;
    Map<Integer, int[]> byLength = new TreeMap<>();
    for (int i = 0; i < examples.size(); i++) {
      Example ex = examples.get(i);
      String word = normalise(ex.targets().get(0));
      boolean hit = normalise(read.get(i)).equals(word);
      hits += hit ? 1 : 0;
      int[] counts = byLength.computeIfAbsent(word.length(), k -> new int[2]);
      counts[0]++;
      counts[1] += hit ? 1 : 0;
      int side = Math.min(ex.image().getWidth(), ex.image().getHeight());
      TextScene scene = ex.get(TextScene.KEY);
      if (scene != null) {
        side = Math.min(scene.width(), scene.height());
      }
      if (word.length() <= SHORT_WORD && side >= MIN_SIDE) {
        subset++;
        subsetHits += hit ? 1 : 0;
      }
    }
    JsonObject out = new JsonObject();
    out.addProperty("exact_match", TaskSupport.fraction(hits, examples.size()));
    out.addProperty("exact_match_short_words_96px", TaskSupport.fraction(subsetHits, subset));
    out.addProperty("short_words_96px_examples", subset);
    JsonObject lengths = new JsonObject();
    byLength.forEach((len, c) -> lengths.addProperty(String.valueOf(len), TaskSupport.fraction(c[1], c[0])));
    out.add("exact_match_by_length", lengths);
    out.add("samples", TaskSupport.samples(examples, read, 8));
    if (outDir != null) {
      Json.write(outDir.resolve("ocr_results.json"), readingResults(examples, read));
      Json.write(outDir.resolve("metrics.json"), out);
    }
    return out;
  }

  /** The reading results file: {@code [{"id", "prediction", "answer"}]}, one entry per example. */
  static JsonArray readingResults(List<Example> examples, List<String> predictions) {
    JsonArray results = new JsonArray();
    for (int i = 0; i < examples.size(); i++) {
      JsonObject r = new JsonObject();
      r.addProperty("id", examples.get(i).id());
      r.addProperty("prediction", predictions.get(i));
      r.addProperty("answer", examples.get(i).targets().get(0));
      results.add(r);
    }
    return results;
  }

  static String normalise(String s) {
    return s.strip().toLowerCase(Locale.ROOT);
  }
}
