package dev.glimpse.recipes;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.generate.ImageGenerator;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Text-to-image generation on synthetic scenes: trained on images and their captions; evaluated by
 * generating one image per held-out canonical caption and captioning it with a fixed reference
 * captioner ({@link EvalConfig#referenceCaptioner}): {@code prompt_attribute_accuracy} is the share of
 * the prompted objects its captions name with their color and shape (for one-object prompts: the
 * prompted color and shape named), with the attribute breakdown and the Fréchet distance of its image
 * features between generated and real images. See docs/diffusion.md.
 */
public final class TextToImageTask implements Task {
  public static final String NAME = "text-to-image";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean hasSuiteFiles() {
    return false;
  }

  @Override
  public String headline() {
    return "prompt_attribute_accuracy";
  }

  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    return new SyntheticCaptions(new SceneGenerator(SceneConfig.defaults().withSeed(data.seed())), split, size);
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    // the reference is opened first: a wrong one is refused before any image is generated
    try (NDManager manager = model.manager().newSubManager();
        ReferenceCaptioner reference = ReferenceCaptioner.open(eval, manager)) {
      List<Example> examples = TaskSupport.examples(test, info);
      List<String> prompts = examples.stream().map(ex -> ex.targets().isEmpty() ? "" : ex.targets().get(0)).toList();
      ImageGenerator.Settings settings = ImageTasks.settings(model);
      info.printf("generating %d images (%d DDIM steps, guidance %.1f)%n", prompts.size(), settings.steps(),
          settings.guidance());
      List<BufferedImage> generated = ImageTasks.imageGenerator(model).fromTexts(prompts, settings, eval.batchSize());
      List<BufferedImage> real = ImageTasks.asModelSees(ImageTasks.images(examples), model.transform());
      ImageTasks.grid(outDir, List.of("real", "generated"), List.of(real, generated), prompts);
      JsonObject out = new JsonObject();
      out.addProperty("prompts", prompts.size());
      out.addProperty("steps", settings.steps());
      out.addProperty("guidance", settings.guidance());
      List<Scene> scenes = ImageTasks.scenes(examples);
      if (reference == null) {
        info.printf("no reference captioner (eval.referenceCaptioner, --reference-captioner): prompt_attribute_accuracy "
            + "and frechet_distance are left out%n");
      } else if (scenes != null) {
        ReferenceCaptioner.Scored scored = reference.score(scenes, generated, real);
        out.addProperty("prompt_attribute_accuracy", scored.attributeAccuracy());
        if (scored.frechetDistance() != null) {
          out.addProperty("frechet_distance", scored.frechetDistance());
        }
        out.add("attributes", scored.attributes());
        // the same figure for the real held-out images at the model's resolution: what the reference
        // can read at all at that size, the ceiling of the generated images' figure
        out.addProperty("real_image_attribute_accuracy", reference.score(scenes, real, null).attributeAccuracy());
        out.addProperty("reference_captioner", reference.source().toString());
        out.add("samples", TaskSupport.samples(examples, scored.captions(), 8));
      }
      if (outDir != null) {
        Json.write(outDir.resolve("metrics.json"), out);
      }
      return out;
    }
  }
}
