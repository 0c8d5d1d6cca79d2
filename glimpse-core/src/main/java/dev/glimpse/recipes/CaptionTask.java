package dev.glimpse.recipes;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SuiteFiles;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.eval.caption.CaptionMetrics;
import dev.glimpse.eval.caption.CaptionScores;
import dev.glimpse.eval.scene.AttributeAccuracy;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Image captioning. Evaluation captions the held-out images, writes COCO-format annotations and
 * results, and reports the COCO caption metrics; on synthetic scenes also {@code attribute_accuracy}
 * (captions read back into colors, shapes, counts and relations).
 */
public final class CaptionTask implements Task {
  public static final String NAME = "captions";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String headline() {
    return "CIDEr";
  }

  @Override
  public boolean mixesFlatScenes() {
    return true;
  }

  /**
   * The scenes of a split; for training with {@code data.flatMix} > 0, flat drawings ({@link
   * SceneConfig#flat()}, from their own seed stream) make up that share of the examples.
   */
  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    Dataset scenes = new SyntheticCaptions(new SceneGenerator(SceneConfig.defaults().withSeed(data.seed())), split, size);
    return TaskSupport.mixIntoTraining(scenes, split, data.flatMix(), () -> new SyntheticCaptions(
        new SceneGenerator(SceneConfig.flat().withSeed(SceneGenerator.taskSeed(data.seed(), "flat"))), split, size,
        "synthetic-flat-captions"));
  }

  @Override
  public Optional<SuiteFiles.Written> writeSuite(SceneGenerator scenes, Split split, int count, Path folder,
      IntConsumer step) {
    return Optional.of(SuiteFiles.writeCaptions(scenes, split, count, folder, step));
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    List<Example> examples = TaskSupport.examples(test, info);
    return score(examples, TaskSupport.generate(model, examples, eval, null), outDir);
  }

  /** Metrics and result files for generated captions of the given examples. */
  public static JsonObject score(List<Example> examples, List<String> captions, Path outDir) {
    Map<String, List<String>> refs = new LinkedHashMap<>();
    Map<String, String> candidates = new LinkedHashMap<>();
    List<Scene> scenes = new ArrayList<>();
    JsonArray results = new JsonArray();
    JsonObject annotations = new JsonObject();
    JsonArray images = new JsonArray();
    JsonArray anns = new JsonArray();
    for (int i = 0; i < examples.size(); i++) {
      Example ex = examples.get(i);
      refs.put(ex.id(), ex.targets());
      candidates.put(ex.id(), captions.get(i));
      Scene scene = ex.get(Scene.KEY);
      if (scene != null) {
        scenes.add(scene);
      }
      JsonObject r = new JsonObject();
      r.addProperty("image_id", i);
      r.addProperty("caption", captions.get(i));
      results.add(r);
      JsonObject img = new JsonObject();
      img.addProperty("id", i);
      img.addProperty("file_name", ex.id());
      images.add(img);
      for (String ref : ex.targets()) {
        JsonObject a = new JsonObject();
        a.addProperty("id", anns.size());
        a.addProperty("image_id", i);
        a.addProperty("caption", ref);
        anns.add(a);
      }
    }
    annotations.add("images", images);
    annotations.add("annotations", anns);
    if (outDir != null) {
      Json.write(outDir.resolve("captions_annotations.json"), annotations);
      Json.write(outDir.resolve("captions_results.json"), results);
    }
    JsonObject out = new JsonObject();
    if (scenes.size() == examples.size() && !scenes.isEmpty()) {
      out.add("attribute_accuracy", AttributeAccuracy.evaluate(scenes, captions).toJson());
    }
    CaptionScores scores = CaptionMetrics.evaluate(refs, candidates);
    JsonObject metrics = scores.toJson(false);
    out.add("caption_metrics", metrics);
    if (metrics.has("CIDEr")) {
      out.add("CIDEr", metrics.get("CIDEr"));
    }
    out.add("samples", TaskSupport.samples(examples, captions, 8));
    if (outDir != null) {
      Json.write(outDir.resolve("metrics.json"), out);
    }
    return out;
  }
}
