package dev.glimpse.model;

import ai.djl.ndarray.NDArray;

/** A model that scores text alone (a language model): what text evaluation (perplexity) needs. */
public interface ScoresText {
  /** Teacher-forced next-token scores: ids [B, T], valid [B, T] -> [B, T, V]. */
  NDArray textLogits(NDArray ids, NDArray valid);
}
