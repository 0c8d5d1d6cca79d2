package dev.glimpse.cli;

import com.google.gson.JsonObject;
import dev.glimpse.recipes.Recipe;
import dev.glimpse.recipes.RecipeFiles;
import dev.glimpse.recipes.RunStart;
import dev.glimpse.recipes.Recipes;
import dev.glimpse.recipes.TrainRun;
import dev.glimpse.train.TrainConfig;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse train}: runs a named recipe or a recipe file. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a model from a named recipe (see 'glimpse recipes') or a recipe JSON file.")
public final class TrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin DeviceOption device;

  @Option(names = "--recipe", paramLabel = "NAME", description = "Named recipe, e.g. quickstart, git-tiny.")
  String recipeName;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Recipe JSON file (may start from a named recipe: {\"recipe\": \"quickstart\", \"train\": {...}}).")
  Path config;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run folder (checkpoint, logs, plots).")
  Path out;

  @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint.")
  boolean resume;

  @Option(names = "--steps", description = "Override the number of optimizer steps.")
  Integer steps;

  @Option(names = "--batch-size", description = "Override the micro-batch size.")
  Integer batchSize;

  @Option(names = "--lr", description = "Override the peak learning rate.")
  Double learningRate;

  @Option(names = "--seed", description = "Override the seed (initialisation and data order).")
  Long seed;

  @Option(names = "--stop-after", paramLabel = "N",
      description = "Stop after N steps in total, writing a checkpoint, as if interrupted (continue with --resume).")
  Long stopAfter;

  @Option(names = "--no-eval", description = "Skip the held-out evaluation at the end.")
  boolean noEval;

  @Option(names = "--init", paramLabel = "DIR|hf:ID",
      description = {"Fine-tune: start from this checkpoint, HuggingFace model folder or hub id hf:ORG/NAME[@REV]",
          "(GIT, LLaVA, BLIP-2); its model, weights, tokenizer and image preprocessing replace the recipe's",
          "model and tokenizer."})
  String init;

  @Option(names = "--vision-tower", paramLabel = "DIR|hf:ID",
      description = {"Start the vision tower of a connector recipe (LLaVA, BLIP-2, Flamingo) from the vision encoder",
          "of this checkpoint (GIT, CLIP, GenLIP or a connector model; a run folder, checkpoint folder, HuggingFace",
          "CLIPVisionModel/CLIPModel folder or hf:ORG/NAME[@REV]): its config replaces the recipe's tower, its",
          "weights are loaded, its image preprocessing is used."})
  String visionTower;

  @Option(names = "--language-model", paramLabel = "DIR|hf:ID",
      description = {"Start the language model of a connector recipe from this checkpoint (an 'lm' run such as",
          "lm-quick, a connector model, or a HuggingFace LlamaForCausalLM/OPTForCausalLM folder): its config,",
          "weights and tokenizer replace the recipe's (an <image> token is added to the tokenizer). A VLV",
          "stage-2 recipe takes its language model as --part language-model=DIR instead."})
  String languageModel;

  @Option(names = "--vision-layer", paramLabel = "N",
      description = {"The vision tower's hidden state the connector reads (0 = embeddings, i = after block i,",
          "negative from the end; LLaVA's default -2 is the penultimate block)."})
  Integer visionLayer;

  @Option(names = "--part", paramLabel = "NAME=DIR|hf:ID",
      description = {"Take a part of the recipe's model from a checkpoint (repeatable): a diffusion recipe's",
          "text-encoder (a CLIP checkpoint), a VLV stage-1 recipe's decoder (a diffusion checkpoint), a VLV stage-2",
          "recipe's autoencoder (a VLV stage-1 run) and language-model (an 'lm' run such as lm-quick, whose",
          "tokenizer writes the captions). The part's config, weights and tokenizer replace the recipe's."})
  Map<String, String> parts = new LinkedHashMap<>();

  @Option(names = "--reference-captioner", paramLabel = "DIR",
      description = {"A captioning checkpoint that scores the images a text-to-image or VLV recipe generates in its",
          "final evaluation (the recipe's eval.referenceCaptioner)."})
  Path referenceCaptioner;

  @Mixin HubOptions hub;

  @Override
  public Integer call() {
    Recipe recipe = null;
    if (recipeName != null && config != null) {
      throw new GlimpseException("give either --recipe or --config, not both");
    }
    if (recipeName != null) {
      recipe = Recipes.get(recipeName);
    } else if (config != null) {
      recipe = RecipeFiles.read(config);
    } else if (!resume) {
      throw new GlimpseException("missing --recipe NAME or --config FILE (see 'glimpse recipes')");
    }
    if (recipe != null) {
      recipe = recipe.withTrain(overrides(recipe.train()));
      if (referenceCaptioner != null) {
        recipe = recipe.withEval(recipe.eval().withReferenceCaptioner(referenceCaptioner.toString()));
      }
    }
    if (stopAfter != null && stopAfter <= 0) {
      throw new GlimpseException("--stop-after must be > 0, got " + stopAfter);
    }
    // before a model id is downloaded
    RunStart.checkLanguageModelOption(recipe, languageModel != null);
    RunStart.checkStart(init != null, resume, visionTower != null || languageModel != null || visionLayer != null,
        !parts.isEmpty());
    Path initDir = hub.resolve(init);
    Path towerDir = hub.resolve(visionTower);
    Path lmDir = hub.resolve(languageModel);
    Map<String, Path> partDirs = new LinkedHashMap<>();
    parts.forEach((name, model) -> partDirs.put(name, hub.resolve(model)));
    JsonObject summary = TrainRun.run(recipe, new TrainRun.Options(out, resume,
        stopAfter == null ? Long.MAX_VALUE : stopAfter, !noEval, false, common.info(), initDir, towerDir, lmDir,
        visionLayer, device.device(), partDirs));
    Summaries.print(common, "training summary", summary, "recipe", "steps", "final_loss", "train_seconds", "tokens_per_s",
        "parameters", "trained_parameters", "visual_tokens_per_image", "cider", "vqa_accuracy", "fewshot_accuracy_0",
        "fewshot_accuracy_1", "fewshot_accuracy_2", "fewshot_accuracy_4", "perplexity",
        "attribute_accuracy.single_object_color_shape", "attribute_accuracy.two_object_count_relation",
        "attribute_accuracy.count", "attribute_accuracy.relation", "attribute_accuracy.position",
        "caption_metrics.Bleu_4", "caption_metrics.CIDEr", "caption_metrics.METEOR", "caption_metrics.ROUGE_L", "r1_t2i",
        "r1_i2t", "long_r1_t2i", "zeroshot_top1", "region_r1", "region_cider", "prompt_attribute_accuracy",
        "frechet_distance", "reconstruction_attribute_accuracy", "embedding_reconstruction_accuracy",
        "text_qa_accuracy", "checkpoint");
    return 0;
  }

  private TrainConfig overrides(TrainConfig t) {
    try {
      if (steps != null) {
        t = t.withSteps(steps);
      }
      if (batchSize != null) {
        t = t.withBatchSize(batchSize);
      }
      if (learningRate != null) {
        t = t.withLearningRate(learningRate, t.warmupSteps());
      }
      if (seed != null) {
        t = t.withSeed(seed);
      }
      return t;
    } catch (IllegalArgumentException e) {
      throw new GlimpseException("invalid option: " + e.getMessage());
    }
  }
}
