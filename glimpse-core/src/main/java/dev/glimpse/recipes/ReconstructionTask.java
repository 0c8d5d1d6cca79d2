package dev.glimpse.recipes;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.Split;
import dev.glimpse.generate.ImageGenerator;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Learning from images alone (VLV stage 1): the synthetic scenes without their captions (examples hold
 * no text at all), evaluated by embedding reconstruction, image -> caption embedding -> image through
 * the frozen decoder: {@code embedding_reconstruction_accuracy} (the reference captioner names the
 * original's objects with their color and shape in the reconstruction), the Fréchet distance of its
 * image features, and {@code reconstruction_mse} (pixels in [-1, 1]). See docs/vlv.md.
 */
public final class ReconstructionTask implements Task {
  public static final String NAME = "reconstruction";

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
    return "embedding_reconstruction_accuracy";
  }

  /** The captioning scenes with every text removed: what stage 1 trains on cannot hold a caption. */
  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    return imagesOnly(new TextToImageTask().synthetic(data, model, split, size));
  }

  /** Any source (synthetic or real) without its texts. */
  @Override
  public Dataset dataset(DataConfig data, ModelConfig model, Split split, int size) {
    Dataset source = Task.super.dataset(data, model, split, size);
    return data.isSynthetic() ? source : imagesOnly(source);
  }

  /** {@code source}'s examples without their prompt and targets (images, ids and annotations stay). */
  static Dataset imagesOnly(Dataset source) {
    return new Dataset() {
      @Override
      public String name() {
        return source.name() + " (images only)";
      }

      @Override
      public int size() {
        return source.size();
      }

      @Override
      public Example get(int index) {
        return source.get(index).withTexts("", List.of());
      }
    };
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    // the reference is opened first: a wrong one is refused before any image is generated
    try (NDManager manager = model.manager().newSubManager();
        ReferenceCaptioner reference = ReferenceCaptioner.open(eval, manager)) {
      List<Example> examples = TaskSupport.examples(test, info);
      JsonObject out = embeddingReconstruction(model, examples, eval, reference, outDir, info, null);
      if (outDir != null) {
        Json.write(outDir.resolve("metrics.json"), out);
      }
      return out;
    }
  }

  /**
   * Image -> z -> image for every example, scored; writes the sample grid (original | reconstruction,
   * plus {@code extra} columns when given).
   *
   * @param reference scores the reconstructions, may be null (then only {@code reconstruction_mse})
   * @param reconstructions receives the reconstructions when not null
   */
  static JsonObject embeddingReconstruction(LoadedModel model, List<Example> examples, EvalConfig eval,
      ReferenceCaptioner reference, Path outDir, PrintStream info, List<BufferedImage> reconstructions) {
    ImageGenerator.Settings settings = ImageTasks.settings(model);
    info.printf("reconstructing %d images through their caption embedding (%d DDIM steps, guidance %.1f)%n",
        examples.size(), settings.steps(), settings.guidance());
    List<BufferedImage> originals = ImageTasks.asModelSees(ImageTasks.images(examples), model.transform());
    List<BufferedImage> rebuilt = ImageTasks.imageGenerator(model).fromImages(ImageTasks.encoder(model),
        model.transform(), ImageTasks.images(examples), settings, eval.batchSize());
    if (reconstructions != null) {
      reconstructions.addAll(rebuilt);
    } else {
      ImageTasks.grid(outDir, List.of("original", "through z"), List.of(originals, rebuilt), null);
    }
    JsonObject out = new JsonObject();
    out.addProperty("images", examples.size());
    out.addProperty("steps", settings.steps());
    out.addProperty("guidance", settings.guidance());
    out.addProperty("reconstruction_mse", mse(originals, rebuilt, model));
    List<Scene> scenes = ImageTasks.scenes(examples);
    if (reference == null) {
      info.printf("no reference captioner (eval.referenceCaptioner, --reference-captioner): "
          + "embedding_reconstruction_accuracy and frechet_distance are left out%n");
    } else if (scenes != null) {
      ReferenceCaptioner.Scored scored = reference.score(scenes, rebuilt, originals);
      out.addProperty("embedding_reconstruction_accuracy", scored.attributeAccuracy());
      if (scored.frechetDistance() != null) {
        out.addProperty("frechet_distance", scored.frechetDistance());
      }
      out.add("attributes", scored.attributes());
      // the ceiling: the reference's figure on the originals at the model's resolution
      out.addProperty("real_image_attribute_accuracy", reference.score(scenes, originals, null).attributeAccuracy());
      out.addProperty("reference_captioner", reference.source().toString());
    }
    return out;
  }

  // mean squared pixel difference in the model's [-1, 1] range
  private static double mse(List<BufferedImage> a, List<BufferedImage> b, LoadedModel model) {
    double sum = 0;
    long n = 0;
    for (int i = 0; i < a.size(); i++) {
      float[] x = model.transform().apply(a.get(i));
      float[] y = model.transform().apply(b.get(i));
      for (int k = 0; k < x.length; k++) {
        sum += (x[k] - y[k]) * (x[k] - y[k]);
      }
      n += x.length;
    }
    return n == 0 ? Double.NaN : sum / n;
  }
}
