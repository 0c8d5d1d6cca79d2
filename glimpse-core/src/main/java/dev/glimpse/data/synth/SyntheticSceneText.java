package dev.glimpse.data.synth;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.VqaInfo;
import java.util.List;
import java.util.Map;

/**
 * Scene text examples (TextCaps / TextVQA / OCR-like) from {@link SceneTextGenerator}; item {@code
 * i} is text scene {@code i} of the split for every task, so the three tasks share images.
 *
 * <ul>
 *   <li>{@link Task#CAPTIONS}: targets = six captions quoting the word;
 *   <li>{@link Task#VQA}: prompt = {@value #QUESTION}, targets = ten answers (mostly the word,
 *       some misreadings), question type "scene_text", answer type "other" ({@link VqaInfo});
 *   <li>{@link Task#OCR}: prompt = "", targets = the word (lower case).
 * </ul>
 *
 * Extras always hold "text_scene" (the {@link TextScene}), "word" and "text_box" ({@link Box}).
 */
public final class SyntheticSceneText implements Dataset {
  /** The scene-text question. */
  public static final String QUESTION = "what does the sign say?";

  public enum Task {
    CAPTIONS,
    VQA,
    OCR
  }

  private final SceneTextGenerator generator;
  private final Split split;
  private final int size;
  private final Task task;

  public SyntheticSceneText(SceneTextGenerator generator, Split split, int size, Task task) {
    if (generator == null || split == null || task == null) {
      throw new IllegalArgumentException("generator, split and task must be set");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must be non-negative: " + size);
    }
    this.generator = generator;
    this.split = split;
    this.size = size;
    this.task = task;
  }

  @Override
  public String name() {
    return "synthetic-scenetext-" + task.name().toLowerCase(java.util.Locale.ROOT) + "/" + split.id();
  }

  @Override
  public int size() {
    return size;
  }

  public TextScene scene(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " out of range 0.." + (size - 1) + " of " + name());
    }
    return generator.scene(split, index);
  }

  /** The ten answers to {@link #QUESTION} for a scene (deterministic). */
  public static List<String> answers(TextScene scene) {
    SceneRandom random = new SceneRandom(scene.noiseSeed() ^ 0x616E737765727321L);
    return HumanAnswers.draw(scene.word(), HumanAnswers.wordConfusions(scene.word()), random);
  }

  @Override
  public Example get(int index) {
    TextScene scene = scene(index);
    String id = split.id() + "-" + index;
    Example example = switch (task) {
      case CAPTIONS -> Example.caption(id, generator.render(scene), generator.captions(scene));
      case VQA -> new Example(id, List.of(generator.render(scene)), QUESTION, answers(scene), Map.of())
          .with(VqaInfo.KEY, new VqaInfo(index, String.valueOf(index), "scene_text", "other", scene.word()));
      case OCR -> new Example(id, List.of(generator.render(scene)), "", List.of(scene.word()), Map.of());
    };
    return example.with(TextScene.KEY, scene);
  }
}
