package dev.glimpse.data.synth;

import dev.glimpse.data.Annotation;

/**
 * A synthetic video clip: one object on a background over {@code frames} frames. Moves go in a
 * straight line from the start centre to the end centre (the object keeps its distance from the
 * borders); APPEAR shows the empty background before {@code eventFrame}; COLOR_CHANGE switches from
 * {@code color} to {@code toColor} at {@code eventFrame}. Centres are normalised (0..1).
 *
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param frames number of frames
 * @param background the static background
 * @param object the object at the start (first frame it is visible), with its box there
 * @param motion what happens
 * @param endX centre x at the last frame (moves), else equal to the object's
 * @param endY centre y at the last frame
 * @param eventFrame first frame with the object (APPEAR) or the new color (COLOR_CHANGE); 0 otherwise
 * @param toColor the color after a change (null otherwise)
 * @param toRgb its RGB
 * @param antialias whether edges are antialiased
 * @param noiseAmplitude per-frame pixel noise (0 = none)
 * @param noiseSeed seed of noise and texture (noise differs per frame)
 */
public record Clip(
    int width,
    int height,
    int frames,
    Background background,
    SceneObject object,
    Motion motion,
    double endX,
    double endY,
    int eventFrame,
    ColorName toColor,
    int toRgb,
    boolean antialias,
    int noiseAmplitude,
    long noiseSeed) {
  /** The annotation of an example drawn from this clip. */
  public static final Annotation<Clip> KEY = Annotation.named("clip");


  public Clip {
    if (frames < 2) {
      throw new IllegalArgumentException("frames must be at least 2: " + frames);
    }
    if (motion == Motion.COLOR_CHANGE && (toColor == null || toColor == object.color())) {
      throw new IllegalArgumentException("a color change needs a different toColor");
    }
  }

  /** The first position as a still scene (the object's start position and color). */
  public Scene firstScene() {
    return new Scene(width, height, background, java.util.List.of(object), antialias, 0, noiseSeed);
  }
}
