package dev.glimpse.train;

/**
 * Where a run stands, saved with every checkpoint.
 *
 * @param step optimizer steps done
 * @param examples examples consumed
 * @param tokens target tokens consumed
 * @param seconds training wall time so far
 */
public record TrainerState(long step, long examples, long tokens, double seconds) {
  public static TrainerState start() {
    return new TrainerState(0, 0, 0, 0);
  }
}
