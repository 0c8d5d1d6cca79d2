package dev.glimpse.recipes;

import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.embed.Embeddings;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Image-text embedding (CLIP, MM-GEM), trained on captioned images (the synthetic scenes or any
 * captions dataset). Evaluation: retrieval in both directions with every reference of each held-out
 * image ({@code r1_t2i}, {@code r1_i2t}, ...); for a model that also writes, its captions' metrics
 * ({@code cider}). On the synthetic scenes also long-text retrieval on dense descriptions ({@code
 * long_r1_t2i}), zero-shot classification of the classification suite ({@code zeroshot_top1}) and
 * retrieval on images drawn by another program ({@code generalisation}). See docs/retrieval.md.
 */
public final class RetrievalTask implements Task {
  public static final String NAME = "retrieval";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String headline() {
    return "r1_t2i";
  }

  @Override
  public boolean hasSuiteFiles() {
    return false; // its images and captions are the captions suite's
  }

  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    return new SyntheticCaptions(new SceneGenerator(SceneConfig.defaults().withSeed(data.seed())), split, size);
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    List<Example> examples = TaskSupport.examples(test, info);
    JsonObject out = new JsonObject();
    int batch = eval.batchSize();
    if (model.embeds()) {
      Embeddings embeddings = Embeddings.of(model);
      EmbeddingEval.Embedded embedded = EmbeddingEval.embed(embeddings, examples, batch, true);
      embedded.score().entrySet().forEach(e -> out.add(e.getKey(), e.getValue()));
      List<Scene> scenes = examples.stream().map(ex -> ex.get(Scene.KEY)).toList();
      if (scenes.stream().allMatch(s -> s != null)) {
        EmbeddingEval.longTexts(embeddings, embedded.images(), scenes, batch).entrySet()
            .forEach(e -> out.add(e.getKey(), e.getValue()));
      }
      Optional<SceneGenerator> generator = EmbeddingEval.syntheticScenes(test);
      if (generator.isPresent()) {
        JsonObject zeroShot = EmbeddingEval.syntheticZeroShot(embeddings, generator.get(), examples.size(), batch);
        out.add("zeroshot_top1", zeroShot.get("top1"));
        out.add("zeroshot_top5", zeroShot.get("top5"));
        EmbeddingEval.external(embeddings, embedded, batch).ifPresent(g -> out.add("generalisation", g));
      }
      info.printf("retrieval on %d images: R@1 text->image %.3f, image->text %.3f%n", examples.size(),
          out.get("r1_t2i").getAsDouble(), out.get("r1_i2t").getAsDouble());
    }
    if (model.captions()) {
      JsonObject captions = CaptionTask.score(examples, TaskSupport.generate(model, examples, eval, null), outDir);
      out.add("cider", captions.get("CIDEr"));
      out.add("captioning", captions);
    }
    if (outDir != null) {
      Json.write(outDir.resolve("metrics.json"), out);
    }
    return out;
  }
}
