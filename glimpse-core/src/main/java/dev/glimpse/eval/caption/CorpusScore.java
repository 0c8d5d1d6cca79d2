package dev.glimpse.eval.caption;

/**
 * One metric over a corpus: the corpus value the toolkit reports and the per-image values it
 * returns alongside (same order as the images given).
 */
public record CorpusScore(double corpus, double[] perImage) {}
