package dev.glimpse.data.synth;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import java.util.ArrayList;
import java.util.List;

/**
 * Captioning on synthetic scenes: item {@code i} is scene {@code i} of the split, rendered on
 * demand, with the six references of {@link CaptionGrammar} (canonical first) and the scene in
 * its {@link Scene} annotation for {@code eval.scene.AttributeAccuracy}.
 */
public final class SyntheticCaptions implements Dataset {
  private final SceneGenerator generator;
  private final Split split;
  private final int size;
  private final String label;

  public SyntheticCaptions(SceneGenerator generator, Split split, int size) {
    this(generator, split, size, "synthetic-captions");
  }

  /** @param label the dataset's name before the split ("synthetic-flat-captions" gives "synthetic-flat-captions/train") */
  public SyntheticCaptions(SceneGenerator generator, Split split, int size, String label) {
    if (generator == null || split == null) {
      throw new IllegalArgumentException("generator and split must be set");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must be non-negative: " + size);
    }
    this.generator = generator;
    this.split = split;
    this.size = size;
    this.label = label;
  }

  /** {@code size} scenes of {@code split} from the default config with {@code seed}. */
  public static SyntheticCaptions of(long seed, Split split, int size) {
    return new SyntheticCaptions(new SceneGenerator(SceneConfig.defaults().withSeed(seed)), split, size);
  }

  @Override
  public String name() {
    return label + "/" + split.id();
  }

  @Override
  public int size() {
    return size;
  }

  public Split split() {
    return split;
  }

  public SceneGenerator generator() {
    return generator;
  }

  /** The id of item {@code index}: "train-42". */
  public String id(int index) {
    return split.id() + "-" + index;
  }

  public Scene scene(int index) {
    checkIndex(index);
    return generator.scene(split, index);
  }

  /** All scenes in order (cheap: no rendering). */
  public List<Scene> scenes() {
    List<Scene> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(generator.scene(split, i));
    }
    return out;
  }

  @Override
  public Example get(int index) {
    Scene scene = scene(index);
    return Example.caption(id(index), generator.render(scene), generator.captions(scene)).with(Scene.KEY, scene);
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " out of range 0.." + (size - 1) + " of " + name());
    }
  }
}
