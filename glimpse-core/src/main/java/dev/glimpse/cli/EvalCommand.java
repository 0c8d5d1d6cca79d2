package dev.glimpse.cli;

import ai.djl.Device;
import com.google.gson.JsonObject;
import dev.glimpse.data.synth.Split;
import dev.glimpse.hf.hub.HubId;
import dev.glimpse.recipes.CheckpointEval;
import dev.glimpse.recipes.EvalConfig;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code glimpse eval --checkpoint DIR}: evaluates a model with its task's metrics; the subcommands
 * score result files in the official formats.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {"Evaluate a checkpoint (--checkpoint) on held-out data with its task's metrics, writing result",
        "files in the official formats; or score result files (subcommands captions, vqa); or evaluate an embedding",
        "model (subcommands retrieval, zeroshot).",
        "Without decoding flags (--beam, --sample, --max-tokens...) it decodes as the recipe that trained the",
        "checkpoint evaluates (its eval settings, saved in config.json; greedy, 32 tokens for older checkpoints)."},
    subcommands = {EvalCaptionsCommand.class, EvalVqaCommand.class, EvalRetrievalCommand.class,
        EvalZeroshotCommand.class})
public final class EvalCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--checkpoint", paramLabel = "DIR|hf:ID",
      description = "Checkpoint folder, run folder, or a Glimpse checkpoint on the HuggingFace hub: hf:ORG/NAME[@REV].")
  String checkpoint;

  @Mixin HubOptions hub;

  @Option(names = "--split", description = "test (default) or val.")
  String split = "test";

  @Option(names = "--task", paramLabel = "NAME",
      description = "Evaluate on the synthetic data of another task (e.g. regions for a stage-1 MM-GEM; default: the recipe's).")
  String task;

  @Option(names = "--count", description = "Examples to evaluate (default: the recipe's test size).")
  int count;

  @Option(names = "--out", paramLabel = "DIR", description = "Where result files go (default: eval-<split> next to "
      + "the checkpoint; in the current folder for an hf: id).")
  Path out;

  @Mixin DecodingOptions decoding;

  @Option(names = "--reference-captioner", paramLabel = "DIR",
      description = {"A captioning checkpoint that scores generated images (text-to-image and VLV checkpoints): the",
          "attributes its captions name and the Fréchet distance of its image features (default: the recipe's)."})
  Path referenceCaptioner;

  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    Device runOn = device.device(); // checked before any work
    if (checkpoint == null) {
      spec.commandLine().usage(spec.commandLine().getOut());
      return 0;
    }
    if (count < 0) {
      throw new GlimpseException("--count must be >= 0, got " + count);
    }
    Split s = Split.parse(split);
    Path model = hub.resolve(checkpoint);
    Path dir = Checkpoint.resolve(model);
    // results never go into the HuggingFace cache
    Path results = out != null ? out : HubId.isHubId(checkpoint) ? Path.of("eval-" + s.id())
        : dir.toAbsolutePath().getParent().resolve("eval-" + s.id());
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    JsonObject result = CheckpointEval.run(model, task, s, count, saved -> {
      EvalConfig chosen = decoding.evalConfig(parsed, saved, 256);
      return referenceCaptioner == null ? chosen : chosen.withReferenceCaptioner(referenceCaptioner.toString());
    }, results, common.info(), runOn);
    Summaries.print(common, "evaluation", result, "checkpoint", "task", "split", "examples", "decoding.strategy",
        "decoding.numBeams", "decoding.maxNewTokens",
        "attribute_accuracy.single_object_color_shape", "attribute_accuracy.two_object_count_relation",
        "attribute_accuracy.count", "attribute_accuracy.relation", "caption_metrics.Bleu_4", "caption_metrics.CIDEr",
        "caption_metrics.METEOR", "caption_metrics.ROUGE_L", "r1_t2i", "r1_i2t", "cider", "long_r1_t2i",
        "zeroshot_top1", "region_r1", "region_cider", "global_features.region_r1", "global_features.region_cider",
        "prompt_attribute_accuracy", "frechet_distance", "reconstruction_attribute_accuracy",
        "embedding_reconstruction_accuracy", "reconstruction_mse", "text_qa_accuracy", "vqa_accuracy",
        "fewshot_accuracy_0", "fewshot_accuracy_1", "fewshot_accuracy_2", "fewshot_accuracy_4",
        "visual_tokens_per_image", "perplexity", "naming_accuracy", "results_dir");
    return 0;
  }
}
