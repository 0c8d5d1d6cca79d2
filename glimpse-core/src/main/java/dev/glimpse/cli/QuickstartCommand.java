package dev.glimpse.cli;

import com.google.gson.JsonObject;
import dev.glimpse.recipes.Quickstart;
import dev.glimpse.recipes.Recipe;
import dev.glimpse.recipes.Recipes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse quickstart}: the main job on the embedded synthetic data. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Train a tiny GIT captioner on synthetic scenes, caption held-out images into an HTML contact "
        + "sheet, evaluate, and print a summary (13-24 minutes on 2 CPU cores, depending on the machine and its "
        + "load; the run prints its projected time once the first steps are timed).")
public final class QuickstartCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Mixin DeviceOption device;

  @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default runs/quickstart).")
  Path out = Quickstart.DEFAULT_OUT;

  @Option(names = "--fresh", description = "Delete an earlier run in --out and train again.")
  boolean fresh;

  @Option(names = "--steps", description = "Override the number of training steps (for a quicker look).")
  Integer steps;

  @Override
  public Integer call() {
    Recipe recipe = Recipes.quickstart();
    if (steps != null) {
      if (steps <= 0) {
        throw new dev.glimpse.util.GlimpseException("--steps must be > 0, got " + steps);
      }
      recipe = recipe.withTrain(recipe.train().withSteps(steps));
    }
    JsonObject summary = Quickstart.run(recipe, out, fresh, false, common.info(), device.device());
    Summaries.print(common, "quickstart summary", summary, "recipe", "steps", "final_loss", "train_seconds", "tokens_per_s",
        "attribute_accuracy.single_object_color_shape", "attribute_accuracy.two_object_count_relation",
        "attribute_accuracy.count", "attribute_accuracy.relation", "attribute_accuracy.position",
        "caption_metrics.Bleu_4", "caption_metrics.CIDEr", "caption_metrics.METEOR", "caption_metrics.ROUGE_L",
        "external_attribute_accuracy.single_object_color_shape",
        "external_attribute_accuracy.two_object_count_relation",
        "external_flat_attribute_accuracy.single_object_color_shape", "external_flat_attribute_accuracy.color",
        "external_flat_attribute_accuracy.shape", "external_flat_attribute_accuracy.two_object_count_relation",
        "checkpoint", "contact_sheet", "loss_plot",
        "quickstart_seconds");
    return 0;
  }
}
