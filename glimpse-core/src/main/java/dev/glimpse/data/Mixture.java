package dev.glimpse.data;

/**
 * Two datasets interleaved at a fixed share: every example of {@code main} once, and {@code extra}
 * examples in between so that they make up {@code share} of the whole. Index {@code i} is an extra
 * example when {@code floor((i + 1) * share) > floor(i * share)}, so the pattern is spread evenly and
 * needs no random draw (training shuffles indices anyway). Extra examples cycle when {@code extra} is
 * smaller than its share.
 */
public final class Mixture implements Dataset {
  private final Dataset main;
  private final Dataset extra;
  private final double share;
  private final int size;

  public Mixture(Dataset main, Dataset extra, double share) {
    if (main == null || extra == null) {
      throw new IllegalArgumentException("both datasets must be set");
    }
    if (!(share > 0 && share < 1)) {
      throw new IllegalArgumentException("share must be in (0, 1), got " + share);
    }
    if (extra.size() == 0) {
      throw new IllegalArgumentException("the mixed-in dataset " + extra.name() + " is empty");
    }
    this.main = main;
    this.extra = extra;
    this.share = share;
    // the smallest size that holds every main example: n - floor(n * share) >= main.size(), which
    // needs n * (1 - share) + 1 > main.size()
    long n = Math.max(0, (long) ((main.size() - 1) / (1 - share)) - 1);
    while (n - extraBefore(n) < main.size()) {
      n++;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("mixture of " + main.size() + " examples at share " + share + " is too large");
    }
    this.size = (int) n;
  }

  /** Whether index {@code i} holds an extra example. */
  public boolean isExtra(int i) {
    return extraBefore(i + 1) > extraBefore(i);
  }

  // extra examples among indices 0..i-1
  private long extraBefore(long i) {
    return (long) Math.floor(i * share);
  }

  @Override
  public String name() {
    return main.name() + "+" + extra.name() + "@" + share;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public Example get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " out of range 0.." + (size - 1) + " of " + name());
    }
    long extrasBefore = extraBefore(index);
    if (extraBefore(index + 1) > extrasBefore) { // isExtra(index), with the count already in hand
      return extra.get((int) (extrasBefore % extra.size()));
    }
    return main.get((int) (index - extrasBefore));
  }
}
