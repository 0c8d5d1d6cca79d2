package dev.glimpse.testing;

import dev.glimpse.data.synth.Background;
import dev.glimpse.data.synth.Box;
import dev.glimpse.data.synth.ColorName;
import dev.glimpse.data.synth.Scene;
import dev.glimpse.data.synth.SceneObject;
import dev.glimpse.data.synth.ShapeKind;
import dev.glimpse.data.synth.SizeKind;
import java.util.List;

/** Hand-made scenes for tests. */
public final class TestScenes {
  private TestScenes() {}

  public static SceneObject object(ShapeKind shape, ColorName color, SizeKind size, double u, double v) {
    int side = 100;
    double radius = size == SizeKind.SMALL ? 11 : 21;
    int x = (int) Math.round(u * side - radius);
    int y = (int) Math.round(v * side - radius);
    int d = (int) Math.round(2 * radius);
    return new SceneObject(shape, color, color.baseRgb(), size, u, v, radius, 0, new Box(x, y, d, d));
  }

  public static Scene scene(SceneObject... objects) {
    return Scene.plain(100, 100, Background.plain("gray", 0x8C8C8C), List.of(objects));
  }
}
