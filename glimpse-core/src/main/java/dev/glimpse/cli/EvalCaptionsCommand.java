package dev.glimpse.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.eval.caption.CaptionMetrics;
import dev.glimpse.eval.caption.CaptionScores;
import dev.glimpse.eval.caption.CocoCaptionFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse eval captions}: COCO caption metrics of a results file. */
@Command(
    name = "captions",
    mixinStandardHelpOptions = true,
    description = {
      "Caption metrics as the COCO caption toolkit (pycocoevalcap) computes them: PTB tokenization,"
          + " Bleu_1..4, METEOR (exact+stem only), ROUGE_L, CIDEr (CIDEr-D). SPICE is not"
          + " available.",
      "Annotations: {\"images\":[{\"id\"}], \"annotations\":[{\"image_id\",\"caption\"}]};"
          + " results: [{\"image_id\",\"caption\"}], one per image."
    })
public final class EvalCaptionsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(
      names = "--annotations",
      required = true,
      paramLabel = "FILE",
      description = "COCO caption annotations (references).")
  Path annotations;

  @Option(
      names = "--results",
      required = true,
      paramLabel = "FILE",
      description = "Results: one candidate caption per image.")
  Path results;

  @Option(
      names = "--per-image",
      description = "Also print per-image scores (JSON: under \"per_image\").")
  boolean perImage;

  @Option(
      names = "--subset",
      description =
          "Score only the annotated images that have a result (default: a missing result is an"
              + " error).")
  boolean subset;

  @Option(names = "--no-meteor", description = "Skip METEOR (the slowest metric).")
  boolean noMeteor;

  @Override
  public Integer call() {
    CocoCaptionFiles.Corpus corpus = CocoCaptionFiles.load(annotations, results, subset);
    corpus.warnings().forEach(w -> System.err.println("warning: " + w));
    CaptionScores scores = CaptionMetrics.evaluate(corpus.refs(), corpus.candidates(), !noMeteor);
    printHuman(scores, common.info());
    JsonObject json = scores.toJson(perImage);
    json.add("warnings", strings(corpus.warnings()));
    common.printJson(json);
    return 0;
  }

  private void printHuman(CaptionScores scores, PrintStream out) {
    out.printf("images: %d%n", scores.imageIds().size());
    for (Map.Entry<String, Double> e : scores.corpus().entrySet()) {
      String note =
          e.getKey().equals("METEOR")
              ? "   [" + scores.meteorVariant() + ": lower than the toolkit's METEOR]"
              : "";
      out.printf("%s: %.6f%s%n", e.getKey(), e.getValue(), note);
    }
    scores
        .unavailable()
        .forEach((key, reason) -> out.printf("%s: not available (%s)%n", key, reason));
    if (perImage && !common.json) {
      List<String> keys = List.copyOf(scores.perImage().keySet());
      out.println("image_id\t" + String.join("\t", keys));
      for (int i = 0; i < scores.imageIds().size(); i++) {
        StringBuilder line = new StringBuilder(scores.imageIds().get(i));
        for (String key : keys) {
          line.append('\t').append(String.format("%.6f", scores.perImage().get(key)[i]));
        }
        out.println(line);
      }
    }
  }

  static JsonArray strings(List<String> items) {
    JsonArray array = new JsonArray();
    items.forEach(array::add);
    return array;
  }
}
