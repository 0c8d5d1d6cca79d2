package dev.glimpse.recipes;

import dev.glimpse.util.GlimpseException;

/** Task name to implementation. */
public final class Tasks {
  private Tasks() {}

  public static Task of(Recipe recipe) {
    return of(recipe.task());
  }

  public static Task of(String task) {
    return switch (task) {
      case "captions" -> new CaptionTask();
      default -> throw new GlimpseException("unknown task '" + task + "' (known: captions)");
    };
  }
}
