package dev.glimpse.recipes;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.Images;
import dev.glimpse.data.synth.ExternalShapes;
import dev.glimpse.eval.ContactSheet;
import dev.glimpse.eval.scene.AttributeAccuracy;
import dev.glimpse.generate.Captioner;
import dev.glimpse.nn.Devices;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.Json;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The quickstart: train the {@code quickstart} recipe (or resume / reuse the run already in the
 * folder), caption 8 held-out scenes into an HTML contact sheet, score the held-out split and, when
 * the repository's bundled images drawn by another program are present, those too.
 */
public final class Quickstart {
  public static final Path DEFAULT_OUT = Path.of("runs", "quickstart");
  public static final String CONTACT_SHEET = "contact_sheet.html";

  private Quickstart() {}

  public static JsonObject run(Recipe recipe, Path out, boolean fresh, boolean quiet, PrintStream info,
      Device device) {
    long start = System.nanoTime();
    Path checkpoint = out.resolve(Checkpoint.RUN_CHECKPOINT);
    if (fresh && Files.exists(out)) {
      AtomicFiles.deleteRecursively(out);
    }
    JsonObject summary;
    boolean exists = Files.isDirectory(checkpoint);
    boolean complete = exists && Checkpoint.readState(checkpoint).step() >= RecipeFiles.read(
        out.resolve(TrainRun.RECIPE_FILE)).train().steps();
    if (complete) {
      info.println("reusing the trained model in " + out + " (use --fresh to train again)");
      summary = evaluateOnly(recipe, out, info, device);
    } else {
      if (exists) {
        info.println("continuing the unfinished run in " + out);
      }
      summary = TrainRun.run(exists ? null : recipe,
          new TrainRun.Options(out, exists, Long.MAX_VALUE, true, quiet, info, null, null, device, null));
    }
    try (NDManager manager = Devices.manager(device); LoadedModel model = LoadedModel.load(checkpoint, manager)) {
      Captioner captioner = new Captioner(model.model(), model.tokenizer(), model.transform(), model.manager());
      Task task = Tasks.of(recipe);
      Dataset test = task.testData(recipe);
      List<ContactSheet.Entry> entries = new ArrayList<>();
      List<BufferedImage> images = new ArrayList<>();
      List<Example> examples = new ArrayList<>();
      for (int i = 0; i < Math.min(8, test.size()); i++) {
        Example ex = test.get(i);
        examples.add(ex);
        images.add(ex.image());
      }
      List<Captioner.Caption> captions = captioner.caption(images, recipe.eval().generation(), 8);
      for (int i = 0; i < examples.size(); i++) {
        entries.add(new ContactSheet.Entry(examples.get(i).id(), images.get(i), captions.get(i).text(),
            examples.get(i).targets().get(0)));
      }
      Optional<Path> externalDir = ExternalShapes.locate();
      if (externalDir.isPresent()) {
        List<ExternalShapes.Item> items = ExternalShapes.load(externalDir.get());
        List<BufferedImage> external = new ArrayList<>();
        for (ExternalShapes.Item item : items) {
          external.add(Images.read(item.image()));
        }
        List<String> texts = captioner.caption(external, recipe.eval().generation(), 16).stream()
            .map(Captioner.Caption::text).toList();
        summary.add("external_attribute_accuracy",
            AttributeAccuracy.evaluate(ExternalShapes.scenes(items), texts).toJson());
        summary.addProperty("external_images", items.size());
        for (int i = 0; i < Math.min(4, items.size()); i++) {
          entries.add(new ContactSheet.Entry("external: " + items.get(i).image().getFileName(), external.get(i),
              texts.get(i), null));
        }
      }
      Path sheet = out.resolve(CONTACT_SHEET);
      ContactSheet.write(sheet, "Glimpse quickstart: held-out synthetic scenes", entries);
      summary.addProperty("contact_sheet", sheet.toString());
      summary.addProperty("loss_plot", out.resolve(TrainRun.LOSS_PLOT).toString());
    }
    summary.addProperty("quickstart_seconds", (System.nanoTime() - start) / 1e9);
    Json.write(out.resolve("summary.json"), summary);
    return summary;
  }

  /** Evaluation of an already trained run (the held-out split of its recipe). */
  static JsonObject evaluateOnly(Recipe recipe, Path out, PrintStream info, Device device) {
    try (NDManager manager = Devices.manager(device);
        LoadedModel model = LoadedModel.load(out.resolve(Checkpoint.RUN_CHECKPOINT), manager)) {
      Task task = Tasks.of(recipe);
      JsonObject summary = new JsonObject();
      summary.addProperty("recipe", recipe.name());
      summary.addProperty("out", out.toString());
      summary.addProperty("checkpoint", model.source().toString());
      summary.addProperty("reused", true);
      JsonObject eval = task.evaluate(model, task.testData(recipe), recipe.eval(), out.resolve("eval"), info);
      summary.add("eval", eval);
      for (String key : eval.keySet()) {
        summary.add(key, eval.get(key));
      }
      return summary;
    }
  }
}
