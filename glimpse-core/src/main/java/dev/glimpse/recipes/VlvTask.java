package dev.glimpse.recipes;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SyntheticCaptions;
import dev.glimpse.data.synth.SyntheticVqa;
import dev.glimpse.data.synth.VqaQuestion;
import dev.glimpse.eval.scene.CaptionQa;
import dev.glimpse.generate.ImageGenerator;
import dev.glimpse.model.ModelConfig;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * VLV stage 2: captions from the caption embedding, evaluated as the paper evaluates (section 4):
 * <ul>
 *   <li>{@code cider} and the COCO caption metrics of its captions (with {@code attribute_accuracy});
 *   <li>text-conditioned reconstruction: each caption through the model's own text-to-image decoder,
 *       the result captioned by the reference captioner: {@code reconstruction_attribute_accuracy} (the
 *       original's objects named with their color and shape) and its Fréchet distance;
 *   <li>embedding reconstruction (image -> z -> image): {@code embedding_reconstruction_accuracy};
 *   <li>text-only question answering: the synthetic VQA questions about each image (all its question
 *       types) answered from the caption alone ({@link CaptionQa}), {@code text_qa_accuracy} the share
 *       answered exactly right.
 * </ul>
 * See docs/vlv.md.
 */
public final class VlvTask implements Task {
  public static final String NAME = "vlv";

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
    return "cider";
  }

  @Override
  public Dataset synthetic(DataConfig data, ModelConfig model, Split split, int size) {
    return new TextToImageTask().synthetic(data, model, split, size);
  }

  @Override
  public JsonObject evaluate(LoadedModel model, Dataset test, EvalConfig eval, Path outDir, PrintStream info) {
    // the reference is opened first: a wrong one is refused before any caption or image is generated
    try (NDManager manager = model.manager().newSubManager();
        ReferenceCaptioner reference = ReferenceCaptioner.open(eval, manager)) {
      List<Example> examples = TaskSupport.examples(test, info);
      List<String> captions = TaskSupport.generate(model, examples, eval, null);
      JsonObject out = CaptionTask.score(examples, captions, outDir);
      if (out.has("CIDEr")) {
        out.add("cider", out.get("CIDEr"));
      }
      if (test instanceof SyntheticCaptions synthetic) {
        out.add("text_qa", textQa(synthetic, captions));
        out.add("text_qa_accuracy", out.getAsJsonObject("text_qa").get("accuracy"));
      }

      List<BufferedImage> throughZ = new ArrayList<>();
      JsonObject embedding = ReconstructionTask.embeddingReconstruction(model, examples, eval, reference, null, info,
          throughZ);
      out.add("embedding_reconstruction", embedding);
      if (embedding.has("embedding_reconstruction_accuracy")) {
        out.add("embedding_reconstruction_accuracy", embedding.get("embedding_reconstruction_accuracy"));
      }

      ImageGenerator.Settings settings = ImageTasks.settings(model);
      info.printf("reconstructing %d images from their captions (%d DDIM steps, guidance %.1f)%n", captions.size(),
          settings.steps(), settings.guidance());
      List<BufferedImage> throughCaption = ImageTasks.imageGenerator(model).fromTexts(captions, settings,
          eval.batchSize());
      List<BufferedImage> originals = ImageTasks.asModelSees(ImageTasks.images(examples), model.transform());
      ImageTasks.grid(outDir, List.of("original", "through z", "through caption"),
          List.of(originals, throughZ, throughCaption), captions);
      List<Scene> scenes = ImageTasks.scenes(examples);
      if (reference == null) {
        info.printf("no reference captioner (eval.referenceCaptioner, --reference-captioner): the reconstruction "
            + "accuracies and Fréchet distances are left out%n");
      } else if (scenes != null) {
        ReferenceCaptioner.Scored scored = reference.score(scenes, throughCaption, originals);
        JsonObject text = new JsonObject();
        text.addProperty("attribute_accuracy", scored.attributeAccuracy());
        if (scored.frechetDistance() != null) {
          text.addProperty("frechet_distance", scored.frechetDistance());
        }
        text.add("attributes", scored.attributes());
        out.add("text_reconstruction", text);
        out.addProperty("reconstruction_attribute_accuracy", scored.attributeAccuracy());
        out.addProperty("reference_captioner", reference.source().toString());
      }
      if (outDir != null) {
        Json.write(outDir.resolve("metrics.json"), out);
      }
      return out;
    }
  }

  /**
   * The synthetic VQA questions about each scene image of the split (every question type it allows),
   * answered from its caption alone; exact match with the true answer.
   */
  static JsonObject textQa(SyntheticCaptions scenes, List<String> captions) {
    SyntheticVqa vqa = new SyntheticVqa(scenes.generator(), scenes.split(), captions.size());
    int asked = 0;
    int right = 0;
    int unanswered = 0;
    for (int i = 0; i < captions.size(); i++) {
      if (SyntheticVqa.isTextImage(i)) {
        continue; // the VQA data draws a sign there, not this scene
      }
      for (VqaQuestion q : vqa.questions(i, 5)) {
        String answer = CaptionQa.answer(q.question(), captions.get(i));
        asked++;
        unanswered += answer == null ? 1 : 0;
        right += q.answer().equals(answer) ? 1 : 0;
      }
    }
    JsonObject out = new JsonObject();
    out.addProperty("questions", asked);
    out.addProperty("accuracy", asked == 0 ? Double.NaN : (double) right / asked);
    out.addProperty("unanswered", unanswered);
    return out;
  }
}
