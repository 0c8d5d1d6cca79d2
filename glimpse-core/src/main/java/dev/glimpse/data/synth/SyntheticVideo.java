package dev.glimpse.data.synth;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Video captioning on synthetic clips ({@link VideoGenerator}): item {@code i} is clip {@code i} of
 * the split; frames rendered on demand; targets = its captions (canonical first); annotated with
 * its {@link Clip}. Score generated captions with {@code eval.scene.MotionAccuracy}.
 */
public final class SyntheticVideo implements Dataset {
  private final VideoGenerator generator;
  private final Split split;
  private final int size;

  public SyntheticVideo(VideoGenerator generator, Split split, int size) {
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
    return "synthetic-video/" + split.id();
  }

  @Override
  public int size() {
    return size;
  }

  public Clip clip(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " out of range 0.." + (size - 1) + " of " + name());
    }
    return generator.clip(split, index);
  }

  public List<Clip> clips() {
    List<Clip> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      out.add(generator.clip(split, i));
    }
    return out;
  }

  /** MSR-VTT style id: "video42". */
  public static String videoId(long index) {
    return "video" + index;
  }

  @Override
  public Example get(int index) {
    Clip clip = clip(index);
    return new Example(split.id() + "-" + videoId(index), generator.render(clip), "", generator.captions(clip),
        Map.of()).with(Clip.KEY, clip);
  }
}
