package dev.glimpse.generate;

/**
 * One generated sequence: the new tokens (EOS and padding excluded), whether it ended with EOS, and
 * its score (beam search: HuggingFace's length-normalised sum of log-probabilities; otherwise the
 * sum of log-probabilities of the chosen tokens).
 */
public record Generated(int[] tokens, boolean finished, double score) {}
