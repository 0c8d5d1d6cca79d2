package dev.glimpse.recipes;

import dev.glimpse.util.GlimpseException;
import java.util.List;

/** The tasks, by name: what recipes and checkpoints name, and the parts of the synthetic suite. */
public final class Tasks {
  private static final List<Task> ALL = List.of(new CaptionTask(), new VqaTask(), new SceneTextTask(),
      new VideoTask(), new ClassifyTask(), new RegionsTask(), new OcrTask(), new TextTask(), new VlmTask(),
      new RetrievalTask(), new TextToImageTask(), new ReconstructionTask(), new VlvTask());

  private Tasks() {}

  public static Task of(Recipe recipe) {
    return of(recipe.task());
  }

  public static Task of(String task) {
    for (Task t : ALL) {
      if (t.name().equals(task)) {
        return t;
      }
    }
    throw new GlimpseException("unknown task '" + task + "' (known: " + String.join(", ", names()) + ")");
  }

  /** Every task, in the suite's order. */
  public static List<Task> all() {
    return ALL;
  }

  private static List<String> names() {
    return ALL.stream().map(Task::name).toList();
  }
}
