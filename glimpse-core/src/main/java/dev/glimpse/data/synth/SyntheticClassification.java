package dev.glimpse.data.synth;

import dev.glimpse.data.Annotation;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import java.util.ArrayList;
import java.util.List;

/**
 * Image classification: one object per image, labelled with its color and shape ("red circle"),
 * {@code colors × shapes} classes (32 by default), sorted by name ({@link #labels()}). Item {@code i} is drawn
 * on its own stream ("classification"); size, position, background and noise vary as in the
 * captioning scenes, so they are nuisances for the classifier. Example: targets = the class name,
 * annotations {@link #LABEL} (the class index) and the {@link Scene}.
 */
public final class SyntheticClassification implements Dataset {
  /** The class index of an example. */
  public static final Annotation<Integer> LABEL = Annotation.named("label");

  public static final String TASK = "classification";

  private final SceneGenerator generator;
  private final Split split;
  private final int size;
  private final List<String> labels;

  public SyntheticClassification(SceneGenerator generator, Split split, int size) {
    if (generator == null || split == null) {
      throw new IllegalArgumentException("generator and split must be set");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must be non-negative: " + size);
    }
    this.generator = new SceneGenerator(generator.config().withObjects(1, 1));
    this.split = split;
    this.size = size;
    this.labels = labels(generator.config());
  }

  /**
   * The class names of a config, sorted by name ("black circle", "black square", ...), which is
   * also the order of their folders, so label indices agree with ImageNet-style folder loaders.
   */
  public static List<String> labels(SceneConfig config) {
    List<String> out = new ArrayList<>();
    for (ColorName color : config.colors()) {
      for (ShapeKind shape : config.shapes()) {
        out.add(color.word() + " " + shape.word());
      }
    }
    out.sort(null);
    return List.copyOf(out);
  }

  /** The class names, in label-index order. */
  public List<String> labels() {
    return labels;
  }

  /** Folder name of a class in the ImageNet-style layout: "red_circle". */
  public static String folderName(String label) {
    return label.replace(' ', '_');
  }

  @Override
  public String name() {
    return "synthetic-classification/" + split.id();
  }

  @Override
  public int size() {
    return size;
  }

  public Split split() {
    return split;
  }

  public Scene scene(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " out of range 0.." + (size - 1) + " of " + name());
    }
    return generator.sample(generator.random(TASK, split, index));
  }

  /** The label index of a scene. */
  public int label(Scene scene) {
    SceneObject o = scene.objects().get(0);
    return labels.indexOf(o.color().word() + " " + o.shape().word());
  }

  @Override
  public Example get(int index) {
    Scene scene = scene(index);
    int label = label(scene);
    return Example.caption(split.id() + "-" + index, generator.render(scene), List.of(labels.get(label)))
        .with(LABEL, label).with(Scene.KEY, scene);
  }
}
