package dev.glimpse.data;

import java.util.SplittableRandom;

/**
 * Two datasets mixed at a share that stays at {@code startShare} until {@code hold} of the run (0:
 * moves from the first step), then moves linearly to {@code endShare} at {@code ramp} of the run (1:
 * the last step) and stays there: a curriculum, e.g. almost only clean close-ups until a model has
 * started to read and few once it reads them. Index {@code i} is {@code main}'s example {@code i}, or at
 * progress {@code p} an example of {@code extra} when {@code u(i) < share(p)}, where {@code u(i)} is
 * a fixed uniform number hashed from {@code i}; which extra example is hashed from {@code i} too.
 * So the choice is a pure function of (index, progress), the share holds over any set of indices,
 * and a main example left out early in training can come back later.
 */
public final class ScheduledMixture implements ScheduledDataset {
  private final Dataset main;
  private final Dataset extra;
  private final double startShare;
  private final double endShare;
  private final double hold;
  private final double ramp;

  /** The share moves over the whole run. */
  public ScheduledMixture(Dataset main, Dataset extra, double startShare, double endShare) {
    this(main, extra, startShare, endShare, 0, 1);
  }

  /** The share moves from the first step; @param ramp as below. */
  public ScheduledMixture(Dataset main, Dataset extra, double startShare, double endShare, double ramp) {
    this(main, extra, startShare, endShare, 0, ramp);
  }

  /**
   * @param hold the fraction of the run, in [0, 1), over which the share stays at {@code startShare}
   * @param ramp the fraction of the run, in ({@code hold}, 1], at which the share reaches {@code endShare}
   */
  public ScheduledMixture(Dataset main, Dataset extra, double startShare, double endShare, double hold,
      double ramp) {
    if (main == null || extra == null) {
      throw new IllegalArgumentException("both datasets must be set");
    }
    if (!(startShare >= 0 && startShare < 1) || !(endShare >= 0 && endShare < 1)) {
      throw new IllegalArgumentException("shares must be in [0, 1), got " + startShare + " and " + endShare);
    }
    if (!(hold >= 0 && hold < 1)) {
      throw new IllegalArgumentException("hold must be in [0, 1), got " + hold);
    }
    if (!(ramp > hold && ramp <= 1)) {
      throw new IllegalArgumentException("ramp must be in (hold, 1] = (" + hold + ", 1], got " + ramp);
    }
    if (extra.size() == 0) {
      throw new IllegalArgumentException("the mixed-in dataset " + extra.name() + " is empty");
    }
    this.main = main;
    this.extra = extra;
    this.startShare = startShare;
    this.endShare = endShare;
    this.hold = hold;
    this.ramp = ramp;
  }

  /** The share of extra examples at {@code progress} (clamped to [0, 1]). */
  public double share(double progress) {
    double p = Math.max(0, Math.min(1, (progress - hold) / (ramp - hold)));
    return startShare + (endShare - startShare) * p;
  }

  /** Whether index {@code i} holds an extra example at {@code progress}. */
  public boolean isExtra(int index, double progress) {
    return uniform(index) < share(progress);
  }

  @Override
  public String name() {
    String schedule = hold > 0 ? "@" + hold + "-" + ramp : ramp < 1 ? "@" + ramp : "";
    return main.name() + "+" + extra.name() + "@" + startShare + "->" + endShare + schedule;
  }

  @Override
  public int size() {
    return main.size();
  }

  @Override
  public Example get(int index, double progress) {
    if (index < 0 || index >= main.size()) {
      throw new IndexOutOfBoundsException("index " + index + " out of range 0.." + (main.size() - 1) + " of " + name());
    }
    if (isExtra(index, progress)) {
      return extra.get(new SplittableRandom(~(long) index).nextInt(extra.size()));
    }
    return main.get(index);
  }

  // A uniform number in [0, 1) fixed by the index.
  private static double uniform(int index) {
    return new SplittableRandom(index).nextDouble();
  }
}
