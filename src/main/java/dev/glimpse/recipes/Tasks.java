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
      case CaptionTask.NAME -> new CaptionTask();
      case VqaTask.NAME -> new VqaTask();
      case OcrTask.NAME -> new OcrTask();
      case VideoTask.NAME -> new VideoTask();
      case ClassifyTask.NAME -> new ClassifyTask();
      case SceneTextTask.NAME -> new SceneTextTask();
      default -> throw new GlimpseException("unknown task '" + task + "' (known: captions, vqa, ocr, video, classify, scenetext)");
    };
  }
}
