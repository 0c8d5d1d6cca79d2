package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.embed.Embeddings;
import dev.glimpse.nn.Devices;
import dev.glimpse.recipes.EmbeddingEval;
import dev.glimpse.recipes.RetrievalData;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse eval retrieval}: image-text retrieval figures of an embedding model on a captions dataset. */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
    description = {"Image-text retrieval with a CLIP or MM-GEM model: Recall@1/5/10 and mean rank in both directions",
        "(text->image: r1_t2i...; image->text: r1_i2t..., the best of an image's own captions), over every caption",
        "of every image. shared_text_fraction is the share of text queries whose exact text also describes another",
        "image (their R@1 cannot reach 1); r1_*_text_match count an identical text as correct. On synthetic data",
        "also long-text retrieval on dense descriptions (long_r1_t2i...)."})
public final class EvalRetrievalCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR|hf:ID",
      description = "A CLIP or MM-GEM checkpoint or run folder, an HF CLIP folder, or hf:ORG/NAME[@REV].")
  String checkpoint;

  @Mixin HubOptions hub;

  @Option(names = "--data", required = true, paramLabel = "SPEC",
      description = "coco:FILE,images=DIR | jsonl:FILE | vg:... | synthetic[:SPLIT] | external-shapes")
  String data;

  @Option(names = "--count", description = "Images to evaluate (default: all; synthetic: 1000).")
  int count;

  @Option(names = "--batch-size", description = "Inputs embedded together (default 32).")
  int batchSize = 32;

  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    if (count < 0 || batchSize <= 0) {
      throw new GlimpseException("--count must be >= 0 and --batch-size > 0");
    }
    Dataset dataset = RetrievalData.captions(data, count);
    int[] skipped = {0};
    List<Example> examples = RetrievalData.readable(dataset, skipped, common.info());
    if (examples.stream().anyMatch(e -> e.targets().isEmpty())) {
      throw new GlimpseException(dataset.name() + " has images without captions; retrieval needs every image's texts");
    }
    try (NDManager manager = Devices.manager(device.device());
        LoadedModel loaded = LoadedModel.load(hub.resolve(checkpoint), manager)) {
      Embeddings embeddings = Embeddings.of(loaded);
      JsonObject result = new JsonObject();
      result.addProperty("checkpoint", loaded.source().toString());
      result.addProperty("data", dataset.name());
      result.addProperty("skipped", skipped[0]);
      EmbeddingEval.Embedded embedded = EmbeddingEval.embed(embeddings, examples, batchSize, common.json);
      embedded.score().entrySet().forEach(e -> result.add(e.getKey(), e.getValue()));
      List<Scene> scenes = examples.stream().map(e -> e.get(Scene.KEY)).toList();
      if (scenes.stream().allMatch(s -> s != null)) {
        EmbeddingEval.longTexts(embeddings, embedded.images(), scenes, batchSize).entrySet()
            .forEach(e -> result.add(e.getKey(), e.getValue()));
      }
      Summaries.print(common, "retrieval", result, "data", "images", "texts", "r1_t2i", "r5_t2i", "r10_t2i", "r1_i2t",
          "r5_i2t", "r10_i2t", "mean_rank_t2i", "mean_rank_i2t", "shared_text_fraction", "r1_t2i_text_match",
          "long_r1_t2i", "long_r1_i2t");
    }
    return 0;
  }
}
