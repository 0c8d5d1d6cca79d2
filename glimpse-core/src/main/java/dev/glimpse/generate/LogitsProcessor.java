package dev.glimpse.generate;

/**
 * Edits next-token scores on the host before a token is chosen, e.g. constrained decoding that
 * allows only continuations of a label set. Called once per row and step.
 */
@FunctionalInterface
public interface LogitsProcessor {
  /**
   * @param row which sequence of the batch (before beam expansion)
   * @param generated tokens generated so far for this sequence/beam (prompt excluded)
   * @param scores next-token scores, modified in place (set to -infinity to forbid)
   */
  void process(int row, int[] generated, float[] scores);
}
