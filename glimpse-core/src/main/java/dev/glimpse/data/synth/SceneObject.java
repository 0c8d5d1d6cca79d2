package dev.glimpse.data.synth;

/**
 * One shape in a scene.
 *
 * @param shape circle, square, triangle or star
 * @param color the named color
 * @param rgb the actual fill (0xRRGGBB), jittered inside {@code color}'s range
 * @param size small or large (see {@link SizeKind} for the radius ranges)
 * @param centerX centre x as a fraction of the image width (0 = left edge)
 * @param centerY centre y as a fraction of the image height (0 = top edge)
 * @param radius nominal radius in pixels (see {@link ShapeKind} for what it means per shape)
 * @param rotation rotation in degrees, clockwise; 0 = axis-aligned / pointing up
 * @param box the pixel bounding box of the drawn shape, clipped to the image
 */
public record SceneObject(
    ShapeKind shape,
    ColorName color,
    int rgb,
    SizeKind size,
    double centerX,
    double centerY,
    double radius,
    double rotation,
    Box box) {

  public SceneObject {
    if (shape == null || color == null || size == null || box == null) {
      throw new IllegalArgumentException("shape, color, size and box must be set");
    }
    if (!(radius > 0)) {
      throw new IllegalArgumentException("radius must be positive: " + radius);
    }
    if (!(centerX >= 0 && centerX <= 1 && centerY >= 0 && centerY <= 1)) {
      throw new IllegalArgumentException("centre must be in 0..1: " + centerX + ", " + centerY);
    }
    rgb &= 0xFFFFFF;
  }

  /** The position of this object when it is alone in the image: {@link Position#of}. */
  public Position position() {
    return Position.of(centerX, centerY);
  }

  /**
   * The relation of {@code a} to {@code b}, judged from their centres in normalised coordinates:
   * along the axis with the larger offset, "to the left of"/"to the right of" if horizontal (ties
   * go to horizontal), else "above"/"below". The generator only makes pairs whose offset along the
   * relation's axis is at least three times the other (in pixels and in normalised units), so the answer
   * is never borderline.
   */
  public static Relation relation(SceneObject a, SceneObject b) {
    double du = b.centerX - a.centerX;
    double dv = b.centerY - a.centerY;
    if (Math.abs(du) >= Math.abs(dv)) {
      return du > 0 ? Relation.LEFT_OF : Relation.RIGHT_OF;
    }
    return dv > 0 ? Relation.ABOVE : Relation.BELOW;
  }

  /** "large red circle": size, color, shape. */
  public String describe() {
    return size.word() + " " + color.word() + " " + shape.word();
  }
}
