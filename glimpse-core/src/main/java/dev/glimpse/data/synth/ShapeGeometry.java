package dev.glimpse.data.synth;

import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * Outlines of the shapes in pixel coordinates (see {@link ShapeKind} for the proportions). Uses
 * {@link StrictMath} so vertices are bit-identical on every platform.
 */
final class ShapeGeometry {
  static final double SQUARE_HALF_SIDE = 0.9;
  static final double POINTY_RADIUS = 1.15;
  static final double STAR_INNER_RATIO = 0.5;

  private ShapeGeometry() {}

  /** The outline of a shape centred at pixel {@code (cx, cy)}, nominal radius {@code r}. */
  static Shape outline(ShapeKind kind, double cx, double cy, double r, double rotation) {
    if (kind == ShapeKind.CIRCLE) {
      return new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
    }
    double[] xy = vertices(kind, cx, cy, r, rotation);
    Path2D.Double path = new Path2D.Double();
    path.moveTo(xy[0], xy[1]);
    for (int i = 2; i < xy.length; i += 2) {
      path.lineTo(xy[i], xy[i + 1]);
    }
    path.closePath();
    return path;
  }

  /** Bounds of the outline (exact for every kind). */
  static Rectangle2D bounds(ShapeKind kind, double cx, double cy, double r, double rotation) {
    if (kind == ShapeKind.CIRCLE) {
      return new Rectangle2D.Double(cx - r, cy - r, 2 * r, 2 * r);
    }
    double[] xy = vertices(kind, cx, cy, r, rotation);
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < xy.length; i += 2) {
      minX = Math.min(minX, xy[i]);
      maxX = Math.max(maxX, xy[i]);
      minY = Math.min(minY, xy[i + 1]);
      maxY = Math.max(maxY, xy[i + 1]);
    }
    return new Rectangle2D.Double(minX, minY, maxX - minX, maxY - minY);
  }

  /** Polygon vertices {x0, y0, x1, y1, ...}; angles run clockwise from "up" (y grows downwards). */
  static double[] vertices(ShapeKind kind, double cx, double cy, double r, double rotation) {
    return switch (kind) {
      case SQUARE -> ring(cx, cy, 4, 45, SQUARE_HALF_SIDE * Math.sqrt(2) * r, 0, rotation);
      case TRIANGLE -> ring(cx, cy, 3, 0, POINTY_RADIUS * r, 0, rotation);
      case STAR -> ring(cx, cy, 5, 0, POINTY_RADIUS * r, STAR_INNER_RATIO * POINTY_RADIUS * r, rotation);
      case CIRCLE -> throw new IllegalArgumentException("a circle has no vertices");
    };
  }

  /** {@code points} corners at radius {@code outer}; with {@code inner > 0}, notches between them. */
  private static double[] ring(double cx, double cy, int points, double startDegrees, double outer,
      double inner, double rotation) {
    int n = inner > 0 ? 2 * points : points;
    double step = 360.0 / n;
    double[] xy = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double radius = inner > 0 && i % 2 == 1 ? inner : outer;
      double angle = StrictMath.toRadians(startDegrees + rotation + i * step);
      xy[2 * i] = cx + radius * StrictMath.sin(angle);
      xy[2 * i + 1] = cy - radius * StrictMath.cos(angle);
    }
    return xy;
  }
}
