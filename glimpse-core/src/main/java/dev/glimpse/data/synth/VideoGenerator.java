package dev.glimpse.data.synth;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.List;

/**
 * Short clips (8 frames by default) of one shape that moves left, right, up or down, appears, or
 * changes color; each of the six motions is equally likely. Moves cover at least 40% of the frame
 * along their axis (at most 8% drift across it); appearances happen at frame 2–5; color changes at
 * frame 3–5 to a color that differs from the first one and stands out from the background. Frame
 * size 64–160 px, mostly square. Deterministic by (seed, split, index) on its own stream ("video").
 */
public final class VideoGenerator {
  public static final String TASK = "video";
  public static final int DEFAULT_FRAMES = 8;
  private static final double MIN_TRAVEL = 0.40;

  private final SceneConfig config;
  private final SceneGenerator scenes;
  private final int frames;

  public VideoGenerator(SceneConfig config) {
    this(config, DEFAULT_FRAMES);
  }

  public VideoGenerator(SceneConfig config, int frames) {
    if (frames < 2 || frames > 64) {
      throw new IllegalArgumentException("frames must be in 2..64: " + frames);
    }
    this.config = config.withSides(config.minSide(), Math.max(config.minSide(), Math.min(160, config.maxSide())))
        .withObjects(1, 1);
    this.scenes = new SceneGenerator(this.config);
    this.frames = frames;
  }

  public int frames() {
    return frames;
  }

  public Clip clip(Split split, long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be non-negative: " + index);
    }
    SceneRandom random = scenes.random(TASK, split, index);
    Motion motion = random.pick(List.of(Motion.values()));
    for (int attempt = 0; attempt < 10_000; attempt++) {
      Clip clip = trySample(random, motion);
      if (clip != null) {
        return clip;
      }
    }
    throw new IllegalStateException("could not make a clip");
  }

  private Clip trySample(SceneRandom random, Motion motion) {
    Scene still = scenes.sample(random);
    SceneObject o = still.objects().get(0);
    int width = still.width();
    int height = still.height();
    // Where the centre may go along each axis so that the box keeps the margin (boxes of triangles
    // are not centred on the centre).
    double margin = Math.max(2, SceneGenerator.MARGIN * Math.min(width, height));
    double cx = o.centerX() * width;
    double cy = o.centerY() * height;
    double[] xRange = {(cx - o.box().x() + margin) / width, 1 - (o.box().right() - cx + margin) / width};
    double[] yRange = {(cy - o.box().y() + margin) / height, 1 - (o.box().bottom() - cy + margin) / height};
    double startX = o.centerX();
    double startY = o.centerY();
    double endX = startX;
    double endY = startY;
    if (motion.isMove()) {
      boolean horizontal = motion == Motion.LEFT || motion == Motion.RIGHT;
      double[] along = horizontal ? xRange : yRange;
      double[] across = horizontal ? yRange : xRange;
      double lo = along[0];
      double hi = along[1];
      if (hi - lo < MIN_TRAVEL) {
        return null;
      }
      double travel = random.uniform(MIN_TRAVEL, hi - lo);
      double from = random.uniform(lo, hi - travel);
      double to = from + travel;
      boolean forward = motion == Motion.RIGHT || motion == Motion.DOWN;
      double drift = random.uniform(-0.08, 0.08);
      double cross = horizontal ? startY : startX;
      double crossEnd = Math.max(across[0], Math.min(across[1], cross + drift));
      if (horizontal) {
        startX = forward ? from : to;
        endX = forward ? to : from;
        endY = crossEnd;
      } else {
        startY = forward ? from : to;
        endY = forward ? to : from;
        endX = crossEnd;
      }
    }
    SceneObject first = moved(o, startX, startY, width, height);
    int eventFrame = 0;
    ColorName toColor = null;
    int toRgb = 0;
    if (motion == Motion.APPEAR) {
      eventFrame = random.intBetween(2, Math.max(2, frames - 3));
    } else if (motion == Motion.COLOR_CHANGE) {
      eventFrame = random.intBetween(Math.min(3, frames - 1), Math.max(3, frames - 3));
      List<ColorName> others = config.colors().stream().filter(c -> c != o.color()).toList();
      if (others.isEmpty()) {
        return null;
      }
      toColor = random.pick(others);
      toRgb = toColor.sample(random);
      if (still.background().distanceTo(toRgb) < SceneGenerator.MIN_CONTRAST) {
        return null;
      }
    }
    return new Clip(width, height, frames, still.background(), first, motion, endX, endY, eventFrame, toColor,
        toRgb, still.antialias(), still.noiseAmplitude(), still.noiseSeed());
  }

  /** The object with its centre (normalised) moved, box shifted to match. */
  static SceneObject moved(SceneObject o, double centerX, double centerY, int width, int height) {
    int dx = (int) Math.round((centerX - o.centerX()) * width);
    int dy = (int) Math.round((centerY - o.centerY()) * height);
    Box b = o.box();
    return new SceneObject(o.shape(), o.color(), o.rgb(), o.size(), centerX, centerY, o.radius(), o.rotation(),
        new Box(b.x() + dx, b.y() + dy, b.width(), b.height()));
  }

  /** The object as drawn in frame {@code t}, or null when it is not visible yet. */
  public static SceneObject objectAt(Clip clip, int t) {
    SceneObject o = clip.object();
    if (clip.motion() == Motion.APPEAR && t < clip.eventFrame()) {
      return null;
    }
    if (clip.motion() == Motion.COLOR_CHANGE && t >= clip.eventFrame()) {
      return new SceneObject(o.shape(), clip.toColor(), clip.toRgb(), o.size(), o.centerX(), o.centerY(),
          o.radius(), o.rotation(), o.box());
    }
    if (clip.motion().isMove()) {
      double f = (double) t / (clip.frames() - 1);
      return moved(o, o.centerX() + f * (clip.endX() - o.centerX()), o.centerY() + f * (clip.endY() - o.centerY()),
          clip.width(), clip.height());
    }
    return o;
  }

  /** The frames, in order (TYPE_INT_RGB). */
  public List<BufferedImage> render(Clip clip) {
    List<BufferedImage> out = new ArrayList<>();
    for (int t = 0; t < clip.frames(); t++) {
      SceneObject o = objectAt(clip, t);
      Scene frame = new Scene(clip.width(), clip.height(), clip.background(), o == null ? List.of() : List.of(o),
          clip.antialias(), 0, clip.noiseSeed());
      BufferedImage image = SceneRenderer.render(frame);
      if (clip.noiseAmplitude() > 0) {
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        SceneRenderer.addNoise(pixels, clip.noiseAmplitude(), SceneRandom.mix(clip.noiseSeed() + t));
      }
      out.add(image);
    }
    return out;
  }

  /**
   * At least five MSR-VTT-style captions (canonical first), naming the object and the motion:
   * moves "a small red circle moves to the right" / "moves up"; appearing "a small red circle
   * appears"; color change "a small red circle turns blue".
   */
  public List<String> captions(Clip clip) {
    SceneObject o = clip.object();
    String size = o.size().word();
    String big = o.size().synonym();
    String color = o.color().word();
    String shape = o.shape().word();
    String thing = color + " " + shape;
    return switch (clip.motion()) {
      case LEFT, RIGHT, UP, DOWN -> {
        String dir = clip.motion().word();
        String moves = switch (clip.motion()) {
          case LEFT -> "moves to the left";
          case RIGHT -> "moves to the right";
          case UP -> "moves up";
          default -> "moves down";
        };
        String from = switch (clip.motion()) {
          case LEFT -> "from right to left";
          case RIGHT -> "from left to right";
          case UP -> "from the bottom to the top";
          default -> "from the top to the bottom";
        };
        String toward = switch (clip.motion()) {
          case LEFT -> "the left side";
          case RIGHT -> "the right side";
          case UP -> "the top";
          default -> "the bottom";
        };
        yield List.of(
            "a " + size + " " + thing + " " + moves,
            "a " + thing + " moving " + dir,
            "the " + thing + " slides " + from,
            "a " + big + " " + thing + " travels toward " + toward,
            "there is a " + thing + " that goes " + dir + "ward",
            "a " + thing + " " + moves + " across the frame");
      }
      case APPEAR -> List.of(
          "a " + size + " " + thing + " appears",
          "a " + thing + " appears " + o.position().phrase(),
          "suddenly a " + big + " " + thing + " shows up",
          "a " + thing + " pops into view",
          "an empty background, then a " + thing + " appears",
          "the " + thing + " appears after a moment");
      case COLOR_CHANGE -> {
        String to = clip.toColor().word();
        yield List.of(
            "a " + size + " " + thing + " turns " + to,
            "a " + shape + " changes color from " + color + " to " + to,
            "the " + thing + " becomes " + to,
            "a " + big + " " + shape + " that is " + color + " at first and " + to + " at the end",
            "a " + thing + " changing to " + to,
            "the color of the " + shape + " changes from " + color + " to " + to);
      }
    };
  }
}
