package dev.glimpse.data;

/**
 * Random-access examples. Training draws indices from a seeded sampler, so a run (and its resume)
 * sees the same items in the same order. {@link #get} may throw {@link SampleException} for a
 * corrupt or missing item; callers skip it and count a warning.
 */
public interface Dataset {
  /** Short name for logs, e.g. "synthetic-captions/train" or "coco/val2017". */
  String name();

  int size();

  Example get(int index);
}
