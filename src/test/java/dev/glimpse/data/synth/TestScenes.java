package dev.glimpse.data.synth;

import java.util.List;

/** Hand-made scenes for tests. */
final class TestScenes {
  private TestScenes() {}

  static SceneObject object(ShapeKind shape, ColorName color, SizeKind size, double u, double v) {
    int side = 100;
    double radius = size == SizeKind.SMALL ? 11 : 21;
    int x = (int) Math.round(u * side - radius);
    int y = (int) Math.round(v * side - radius);
    int d = (int) Math.round(2 * radius);
    return new SceneObject(shape, color, color.baseRgb(), size, u, v, radius, 0, new Box(x, y, d, d));
  }

  static Scene scene(SceneObject... objects) {
    return Scene.plain(100, 100, Background.plain("gray", 0x8C8C8C), List.of(objects));
  }
}
