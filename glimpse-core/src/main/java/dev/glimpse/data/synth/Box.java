package dev.glimpse.data.synth;

/** An axis-aligned pixel box: top-left corner and size, as in COCO's {@code [x, y, width, height]}. */
public record Box(int x, int y, int width, int height) {
  public Box {
    if (width < 0 || height < 0) {
      throw new IllegalArgumentException("box size must be non-negative: " + width + "x" + height);
    }
  }

  public int right() {
    return x + width;
  }

  public int bottom() {
    return y + height;
  }

  public boolean intersects(Box other) {
    return x < other.right() && other.x < right() && y < other.bottom() && other.y < bottom();
  }

  /** {@code [x, y, width, height]}. */
  public int[] toArray() {
    return new int[] {x, y, width, height};
  }
}
