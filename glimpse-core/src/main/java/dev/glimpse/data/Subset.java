package dev.glimpse.data;

/** The first {@code size} examples of a dataset. */
public record Subset(Dataset base, int size) implements Dataset {
  public Subset {
    if (size < 0 || size > base.size()) {
      throw new IllegalArgumentException("subset of " + size + " from " + base.size() + " examples");
    }
  }

  /** The dataset itself when {@code limit} is 0 or covers it, else its first {@code limit} examples. */
  public static Dataset limit(Dataset base, int limit) {
    return limit <= 0 || limit >= base.size() ? base : new Subset(base, limit);
  }

  @Override
  public String name() {
    return base.name() + "[:" + size + "]";
  }

  @Override
  public Example get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return base.get(index);
  }
}
