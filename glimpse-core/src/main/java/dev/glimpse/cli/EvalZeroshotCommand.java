package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.embed.Embeddings;
import dev.glimpse.eval.retrieval.ZeroShot;
import dev.glimpse.nn.Devices;
import dev.glimpse.recipes.EmbeddingEval;
import dev.glimpse.recipes.RetrievalData;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse eval zeroshot}: zero-shot classification with an embedding model and prompt templates. */
@Command(name = "zeroshot", mixinStandardHelpOptions = true,
    description = {"Zero-shot classification with a CLIP or MM-GEM model (top1, top5): each class is the mean of its",
        "name written into every template, an image takes the nearest class. Classes are the folder names of",
        "imagefolder:DIR (underscores read as spaces; a mapping file gives readable names) or the synthetic",
        "classification suite's 32 color-shape classes (synthetic[:SPLIT])."})
public final class EvalZeroshotCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR|hf:ID",
      description = "A CLIP or MM-GEM checkpoint or run folder, an HF CLIP folder, or hf:ORG/NAME[@REV].")
  String checkpoint;

  @Mixin HubOptions hub;

  @Option(names = "--data", required = true, paramLabel = "SPEC",
      description = "imagefolder:DIR[,mapping=FILE] | synthetic[:SPLIT]")
  String data;

  @Option(names = "--templates", paramLabel = "FILE",
      description = {"Prompt templates, one per line, each with {} for the class name (default: \"a photo of a {}.\";",
          "for synthetic data \"a {}\", \"a large {}\", \"a small {}\")."})
  Path templates;

  @Option(names = "--count", description = "Images to classify (default: all; synthetic: 1000).")
  int count;

  @Option(names = "--batch-size", description = "Inputs embedded together (default 32).")
  int batchSize = 32;

  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    if (count < 0 || batchSize <= 0) {
      throw new GlimpseException("--count must be >= 0 and --batch-size > 0");
    }
    List<String> prompts = templates == null ? null : TextLines.read(templates, "template");
    if (prompts != null) {
      for (int i = 0; i < prompts.size(); i++) {
        if (!prompts.get(i).contains(ZeroShot.PLACEHOLDER)) {
          throw new GlimpseException(templates + " line " + (i + 1) + " has no " + ZeroShot.PLACEHOLDER
              + " for the class name");
        }
      }
    }
    RetrievalData.Labelled labelled = RetrievalData.labelled(data, count);
    List<String> used = prompts != null ? prompts : labelled.templates();
    try (NDManager manager = Devices.manager(device.device());
        LoadedModel loaded = LoadedModel.load(hub.resolve(checkpoint), manager)) {
      JsonObject result = new JsonObject();
      result.addProperty("checkpoint", loaded.source().toString());
      result.addProperty("data", labelled.data().name());
      EmbeddingEval.zeroShot(Embeddings.of(loaded), labelled::image, labelled.labels().length, labelled.labels(),
          labelled.classes(), used, batchSize, common.json).entrySet().forEach(e -> result.add(e.getKey(), e.getValue()));
      Summaries.print(common, "zero-shot classification", result, "data", "samples", "classes", "templates", "top1",
          "top5");
    }
    return 0;
  }
}
