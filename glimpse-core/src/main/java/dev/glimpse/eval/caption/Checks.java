package dev.glimpse.eval.caption;

import java.util.List;

/** Preconditions the toolkit asserts: one candidate per image and at least one reference. */
final class Checks {
  private Checks() {}

  static void aligned(List<? extends List<?>> refs, List<?> candidates) {
    if (refs.size() != candidates.size()) {
      throw new IllegalArgumentException(
          refs.size() + " reference lists for " + candidates.size() + " candidates");
    }
    for (int i = 0; i < refs.size(); i++) {
      if (refs.get(i).isEmpty()) {
        throw new IllegalArgumentException("image " + i + " has no reference");
      }
    }
  }
}
