package dev.glimpse.data;

import java.util.List;
import java.util.SplittableRandom;

/** Turns a list of examples into a typed batch on the Java heap (runs on a loader thread). */
@FunctionalInterface
public interface ExampleBatcher<B> {
  /** Builds a batch; any random choice (a reference caption, a resolution) is drawn from {@code random}. */
  B batch(List<Example> examples, SplittableRandom random);
}
