package dev.glimpse.recipes;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.synth.SceneConfig;
import dev.glimpse.data.synth.SceneGenerator;
import dev.glimpse.data.synth.Split;
import dev.glimpse.data.synth.SuiteFiles;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The synthetic benchmark suite ({@code glimpse data synth --suite}): every task that has files of
 * its own writes each split in its field's formats ({@link Task#writeSuite}) under {@code
 * DIR/<task>/}, and {@code DIR/suite.json} lists what was written.
 */
public final class Suite {
  private Suite() {}

  /** What one task wrote for one split. */
  public record Written(Task task, SuiteFiles.Written files) {}

  /** The tasks with suite files of their own, in order. */
  public static List<Task> tasks() {
    return Tasks.all().stream().filter(Task::hasSuiteFiles).toList();
  }

  /** "all", or a comma-separated list of suite names. */
  public static Set<Task> parse(String text) {
    if (text.trim().equalsIgnoreCase("all")) {
      return new LinkedHashSet<>(tasks());
    }
    Set<Task> out = new LinkedHashSet<>();
    for (String part : text.split(",")) {
      String id = part.trim().toLowerCase(Locale.ROOT);
      out.add(tasks().stream().filter(t -> t.suiteName().equals(id)).findFirst().orElseThrow(
          () -> new GlimpseException("unknown suite task '" + part.trim() + "' (expected all or a comma-separated "
              + "list of " + String.join(", ", tasks().stream().map(Task::suiteName).toList()) + ")")));
    }
    return out;
  }

  /** Writes {@code count} items of each task and split; {@code progress} gets the running total. */
  public static List<Written> write(SceneConfig config, Set<Task> tasks, List<Split> splits, int count, Path out,
      IntConsumer progress) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be non-negative: " + count);
    }
    SceneGenerator scenes = new SceneGenerator(config);
    int[] done = {0};
    IntConsumer step = ignored -> progress.accept(++done[0]);
    List<Written> written = new ArrayList<>();
    for (Task task : tasks) {
      for (Split split : splits) {
        Path folder = out.resolve(task.suiteName());
        task.writeSuite(scenes, split, count, folder, step).ifPresent(w -> written.add(new Written(task, w)));
      }
    }
    JsonObject summary = new JsonObject();
    summary.addProperty("seed", config.seed());
    JsonArray entries = new JsonArray();
    for (Written w : written) {
      JsonObject e = new JsonObject();
      e.addProperty("task", w.task().suiteName());
      e.addProperty("split", w.files().split().id());
      e.addProperty("items", w.files().items());
      e.addProperty("annotations", w.files().annotations());
      e.addProperty("folder", out.relativize(w.files().folder()).toString());
      entries.add(e);
    }
    summary.add("written", entries);
    Json.write(out.resolve("suite.json"), summary);
    return written;
  }
}
