package dev.glimpse.data.synth;

import dev.glimpse.data.Annotation;
import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import java.util.ArrayList;
import java.util.List;

/**
 * Region captions (Visual Genome-like) on the captioning scenes: item {@code i} is scene {@code i}
 * of the split, with one region per object (its bounding box, "a large red circle") and, for two
 * objects, one region around both (the union of their boxes, with the canonical caption "a small
 * blue square to the left of a large yellow star"). Example: targets = the region phrases; annotations
 * "regions" (list of {@link Region}) and "scene".
 */
public final class SyntheticRegions implements Dataset {
  /** A described box. */
  public record Region(Box box, String phrase) {}

  /** The regions (boxes and phrases) of an example. */
  public static final Annotation<List<Region>> REGIONS = Annotation.named("regions");

  private final SceneGenerator generator;
  private final Split split;
  private final int size;

  public SyntheticRegions(SceneGenerator generator, Split split, int size) {
    if (generator == null || split == null) {
      throw new IllegalArgumentException("generator and split must be set");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must be non-negative: " + size);
    }
    this.generator = generator;
    this.split = split;
    this.size = size;
  }

  @Override
  public String name() {
    return "synthetic-regions/" + split.id();
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
    return generator.scene(split, index);
  }

  /** The regions of a scene: objects in scene order, then the pair region if there are two. */
  public static List<Region> regions(Scene scene) {
    List<Region> out = new ArrayList<>();
    for (SceneObject o : scene.objects()) {
      out.add(new Region(o.box(), CaptionGrammar.phrase(o)));
    }
    if (scene.count() == 2) {
      Box a = scene.objects().get(0).box();
      Box b = scene.objects().get(1).box();
      int x = Math.min(a.x(), b.x());
      int y = Math.min(a.y(), b.y());
      Box union = new Box(x, y, Math.max(a.right(), b.right()) - x, Math.max(a.bottom(), b.bottom()) - y);
      out.add(new Region(union, CaptionGrammar.canonical(scene)));
    }
    return out;
  }

  @Override
  public Example get(int index) {
    Scene scene = scene(index);
    List<Region> regions = regions(scene);
    return Example.caption(split.id() + "-" + index, generator.render(scene),
        regions.stream().map(Region::phrase).toList()).with(REGIONS, regions).with(Scene.KEY, scene);
  }
}
