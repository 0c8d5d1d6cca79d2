package dev.glimpse.recipes;

import dev.glimpse.util.GlimpseException;

/** Task name to implementation. */
public final class Tasks {
  private Tasks() {}

  public static Task of(Recipe recipe) {
    throw new GlimpseException("unknown task '" + recipe.task() + "'");
  }
}
