package dev.glimpse.data.synth;

import dev.glimpse.data.Annotation;
import java.util.List;

/**
 * A complete, renderable description of one synthetic image: everything {@link
 * SceneGenerator#render} needs, so rendering is a pure function of the record.
 *
 * <p>Objects are in canonical order: with two objects the subject of the canonical caption comes
 * first (the left one for a horizontal relation, the upper one for a vertical one); with three,
 * left to right.
 *
 * @param width image width in pixels
 * @param height image height in pixels
 * @param background what is behind the objects
 * @param objects the shapes, in canonical order
 * @param antialias whether shape edges are antialiased
 * @param noiseAmplitude largest per-channel pixel noise in levels (0 = none)
 * @param noiseSeed seed of the pixel noise and the background texture
 */
public record Scene(
    int width,
    int height,
    Background background,
    List<SceneObject> objects,
    boolean antialias,
    int noiseAmplitude,
    long noiseSeed) {
  /** The annotation of an example drawn from this scene. */
  public static final Annotation<Scene> KEY = Annotation.named("scene");


  public Scene {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (background == null) {
      throw new IllegalArgumentException("background must be set");
    }
    if (noiseAmplitude < 0 || noiseAmplitude > 64) {
      throw new IllegalArgumentException("noiseAmplitude must be in 0..64: " + noiseAmplitude);
    }
    objects = List.copyOf(objects);
  }

  /** A plain scene without noise, as drawn by a simple external program. */
  public static Scene plain(int width, int height, Background background, List<SceneObject> objects) {
    return new Scene(width, height, background, objects, false, 0, 0);
  }

  public int count() {
    return objects.size();
  }

  public int shorterSide() {
    return Math.min(width, height);
  }

  /** "plain white", "gradient from pastel blue to white", ... */
  public String backgroundDescription() {
    return background.describe();
  }

  /** With exactly two objects, the relation of the first to the second; otherwise null. */
  public Relation relation() {
    return objects.size() == 2 ? SceneObject.relation(objects.get(0), objects.get(1)) : null;
  }
}
