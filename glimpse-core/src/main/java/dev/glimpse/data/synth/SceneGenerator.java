package dev.glimpse.data.synth;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Draws synthetic scenes: 1–3 shapes on a background, with reference captions from {@link
 * CaptionGrammar}. A scene is a pure function of (config seed, split, index), so item {@code i} of
 * a split is the same on every machine and the splits are disjoint streams.
 *
 * <p>Placement rules, so that every caption is unambiguous:
 *
 * <ul>
 *   <li>every object's bounding box keeps a margin of 3% of the shorter side (at least 2 px) from
 *       the borders, and the boxes of two objects are at least 5% of the shorter side apart;
 *   <li>a single object sits in its {@link Position}'s region: CENTER within ±0.05 of the middle on
 *       both axes; LEFT/RIGHT/TOP/BOTTOM at least 0.15 off-centre on that axis and within ±0.07 on
 *       the other;
 *   <li>two objects: the offset of their centres along the relation's axis is at least three times the
 *       offset along the other axis (at most 18° off the axis), in pixels and in normalised units;
 *   <li>three objects: consecutive centres (left to right) differ by at least 0.10 of the width;
 *   <li>no two objects of a scene share both color and shape, so each is named unambiguously;
 *   <li>every object color is at least {@link SceneConfig#minContrast()} (RGB distance; {@value
 *       #MIN_CONTRAST} by default) away from every background color it could touch.
 * </ul>
 */
public final class SceneGenerator {
  /** Smallest RGB distance between an object color and its background in the default scenes. */
  public static final double MIN_CONTRAST = 100;

  static final double MARGIN = 0.03;
  static final double GAP = 0.05;
  static final double RELATION_DOMINANCE = 3.0;
  static final double MIN_ORDER_GAP = 0.10;
  private static final int MAX_ATTEMPTS = 10_000;

  private final SceneConfig config;

  public SceneGenerator(SceneConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must be set");
    }
    this.config = config;
  }

  public SceneConfig config() {
    return config;
  }

  /**
   * The seed of item {@code index} of {@code split}: SplitMix64 mixing of the config seed, the
   * split's constant and the index, so nearby seeds and indices give unrelated scenes.
   */
  public static long itemSeed(long seed, Split split, long index) {
    long h = SceneRandom.mix(seed + 0x9E3779B97F4A7C15L);
    h = SceneRandom.mix(h ^ split.streamId());
    return SceneRandom.mix(h + index);
  }

  /**
   * The base seed of one task of the benchmark suite ("vqa", "video", ...): tasks that draw their
   * own items get their own streams, unrelated to the captioning scenes and to each other.
   */
  public static long taskSeed(long seed, String task) {
    long hash = 0xCBF29CE484222325L; // FNV-1a over the task name's UTF-16 units
    for (int i = 0; i < task.length(); i++) {
      hash = (hash ^ task.charAt(i)) * 0x100000001B3L;
    }
    return SceneRandom.mix(seed ^ hash);
  }

  /** The random stream of item {@code index} of {@code split} of a task (see {@link #taskSeed}). */
  public SceneRandom random(String task, Split split, long index) {
    return new SceneRandom(itemSeed(taskSeed(config.seed(), task), split, index));
  }

  /** The random stream of one item. */
  public SceneRandom random(Split split, long index) {
    return new SceneRandom(itemSeed(config.seed(), split, index));
  }

  /** Scene {@code index} of {@code split}; the same arguments always give the same scene. */
  public Scene scene(Split split, long index) {
    if (split == null) {
      throw new IllegalArgumentException("split must be set");
    }
    if (index < 0) {
      throw new IllegalArgumentException("index must be non-negative: " + index);
    }
    return sample(random(split, index));
  }

  /** A scene drawn from {@code random} (for tasks that build on scenes with their own streams). */
  public Scene sample(SceneRandom random) {
    // Count, single-object position and pair axis are drawn once, so that placement retries do not
    // skew their distributions.
    int count = objectCount(random);
    Position position = random.pick(List.of(Position.values()));
    boolean horizontal = random.chance(0.5);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Scene scene = trySample(random, count, position, horizontal);
      if (scene != null) {
        return scene;
      }
    }
    throw new IllegalStateException("could not place objects after " + MAX_ATTEMPTS + " attempts");
  }

  /** The image of a scene (TYPE_INT_RGB); a pure function of the scene. */
  public BufferedImage render(Scene scene) {
    return SceneRenderer.render(scene);
  }

  /** At least five differently worded reference captions; the first is the canonical one. */
  public List<String> captions(Scene scene) {
    return CaptionGrammar.captions(scene);
  }

  private Scene trySample(SceneRandom random, int count, Position position, boolean horizontal) {
    int[] size = imageSize(random);
    int width = size[0];
    int height = size[1];
    List<Candidate> candidates = candidates(random, count, Math.min(width, height));
    if (candidates == null) {
      return null;
    }
    // Colors first, then a background far enough from all of them, so object colors stay uniform.
    Background.Group near = config.tones() == Background.Tones.WIDE ? nearGroup(random, candidates) : null;
    Background background = null;
    for (int tries = 0; tries < 50 && background == null; tries++) {
      Background b = Background.sample(random, config, tries < 25 ? near : null);
      if (candidates.stream().allMatch(c -> b.distanceTo(c.rgb) >= config.minContrast())) {
        background = b;
      }
    }
    if (background == null) {
      return null;
    }
    List<SceneObject> objects = place(random, candidates, position, horizontal, width, height);
    if (objects == null) {
      return null;
    }
    boolean antialias = random.chance(config.antialiasProbability());
    int noise = 0;
    if (random.chance(config.noiseProbability())) {
      int max = (int) Math.round(config.noiseLevel() * 255);
      noise = max < 1 ? 0 : random.intBetween(Math.min(2, max), max);
    }
    long noiseSeed = random.nextLong();
    return new Scene(width, height, background, objects, antialias, noise, noiseSeed);
  }

  /**
   * With background tones from the whole range, a scene with a white object takes a light tone 60% of
   * the time (a black one a dark tone), so that they meet near-white and near-black backgrounds as
   * often as other colors meet contrasting ones; null otherwise.
   */
  private static Background.Group nearGroup(SceneRandom random, List<Candidate> candidates) {
    boolean white = candidates.stream().anyMatch(c -> c.color == ColorName.WHITE);
    boolean black = candidates.stream().anyMatch(c -> c.color == ColorName.BLACK);
    if (!white && !black) {
      return null;
    }
    boolean chosen = random.chance(0.6);
    if (white && black) {
      return chosen ? (random.chance(0.5) ? Background.Group.LIGHT : Background.Group.DARK) : null;
    }
    return chosen ? (white ? Background.Group.LIGHT : Background.Group.DARK) : null;
  }

  private int[] imageSize(SceneRandom random) {
    int side = random.intBetween(config.minSide(), config.maxSide());
    if (random.chance(config.squareProbability())) {
      return new int[] {side, side};
    }
    double aspect = random.uniform(1.1, config.maxAspect());
    int other = Math.max(config.minSide(), (int) Math.round(side / aspect));
    return random.chance(0.5) ? new int[] {side, other} : new int[] {other, side};
  }

  /** One or two objects twice as often as three. */
  private int objectCount(SceneRandom random) {
    int n = config.maxObjects() - config.minObjects() + 1;
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      weights[i] = config.minObjects() + i <= 2 ? 2 : 1;
    }
    return config.minObjects() + random.weighted(weights);
  }

  /** Shape, color, size, radius and rotation of each object, before placement. */
  private record Candidate(ShapeKind shape, ColorName color, int rgb, SizeKind size, double radius,
      double rotation, double left, double right, double up, double down) {}

  private List<Candidate> candidates(SceneRandom random, int count, int shorter) {
    List<Candidate> out = new ArrayList<>();
    for (int tries = 0; out.size() < count; tries++) {
      if (tries > 50 * count) {
        return null;
      }
      ShapeKind shape = random.pick(config.shapes());
      ColorName color = random.pick(config.colors());
      int rgb = color.sample(random);
      if (out.stream().anyMatch(c -> c.shape == shape && c.color == color)) {
        continue;
      }
      SizeKind size = random.chance(0.5) ? SizeKind.SMALL : SizeKind.LARGE;
      double radius = shorter * random.uniform(size.minRadius(), size.maxRadius());
      boolean rotate = random.chance(config.rotationProbability());
      double rotation = 0;
      if (shape != ShapeKind.CIRCLE && rotate && config.maxRotation() > 0) {
        rotation = random.uniform(-config.maxRotation(), config.maxRotation());
      }
      Rectangle2D b = ShapeGeometry.bounds(shape, 0, 0, radius, rotation);
      out.add(new Candidate(shape, color, rgb, size, radius, rotation,
          -b.getMinX(), b.getMaxX(), -b.getMinY(), b.getMaxY()));
    }
    return out;
  }

  /** Centres in pixels, or null when this draw did not fit. */
  private List<SceneObject> place(SceneRandom random, List<Candidate> candidates, Position position,
      boolean horizontal, int width, int height) {
    int shorter = Math.min(width, height);
    double margin = Math.max(2, MARGIN * shorter);
    double gap = GAP * shorter;
    int n = candidates.size();
    double[] xs = new double[n];
    double[] ys = new double[n];
    double[][] ranges = new double[n][];
    for (int i = 0; i < n; i++) {
      Candidate c = candidates.get(i);
      ranges[i] = new double[] {margin + c.left, width - margin - c.right, margin + c.up, height - margin - c.down};
      if (ranges[i][0] > ranges[i][1] || ranges[i][2] > ranges[i][3]) {
        return null;
      }
    }
    if (n == 1) {
      if (!placeSingle(random, position, ranges[0], width, height, xs, ys)) {
        return null;
      }
    } else {
      boolean placed = false;
      for (int attempt = 0; attempt < 300 && !placed; attempt++) {
        for (int i = 0; i < n; i++) {
          xs[i] = random.uniform(ranges[i][0], ranges[i][1]);
          ys[i] = random.uniform(ranges[i][2], ranges[i][3]);
        }
        placed = separated(candidates, xs, ys, gap)
            && (n == 2 ? dominant(xs, ys, width, height, horizontal) : ordered(xs, width));
      }
      if (!placed) {
        return null;
      }
    }
    List<SceneObject> objects = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Candidate c = candidates.get(i);
      Rectangle2D b = ShapeGeometry.bounds(c.shape, xs[i], ys[i], c.radius, c.rotation);
      int x0 = Math.max(0, (int) Math.floor(b.getMinX()));
      int y0 = Math.max(0, (int) Math.floor(b.getMinY()));
      int x1 = Math.min(width, (int) Math.ceil(b.getMaxX()));
      int y1 = Math.min(height, (int) Math.ceil(b.getMaxY()));
      objects.add(new SceneObject(c.shape, c.color, c.rgb, c.size, xs[i] / width, ys[i] / height,
          c.radius, c.rotation, new Box(x0, y0, x1 - x0, y1 - y0)));
    }
    // Canonical order: left to right, or top to bottom for a vertical pair.
    Comparator<SceneObject> order = n == 2 && !SceneObject.relation(objects.get(0), objects.get(1)).horizontal()
        ? Comparator.comparingDouble(SceneObject::centerY)
        : Comparator.comparingDouble(SceneObject::centerX);
    objects.sort(order);
    return objects;
  }

  private static boolean placeSingle(SceneRandom random, Position position, double[] range,
      int width, int height, double[] xs, double[] ys) {
    double spread = Position.GENERATED_CENTER_SPREAD;
    double offset = Position.GENERATED_MIN_OFFSET;
    double cross = Position.GENERATED_MAX_CROSS_OFFSET;
    double[] u = switch (position) {
      case CENTER -> new double[] {0.5 - spread, 0.5 + spread};
      case LEFT -> new double[] {0, 0.5 - offset};
      case RIGHT -> new double[] {0.5 + offset, 1};
      case TOP, BOTTOM -> new double[] {0.5 - cross, 0.5 + cross};
    };
    double[] v = switch (position) {
      case CENTER -> new double[] {0.5 - spread, 0.5 + spread};
      case TOP -> new double[] {0, 0.5 - offset};
      case BOTTOM -> new double[] {0.5 + offset, 1};
      case LEFT, RIGHT -> new double[] {0.5 - cross, 0.5 + cross};
    };
    double x0 = Math.max(range[0], u[0] * width);
    double x1 = Math.min(range[1], u[1] * width);
    double y0 = Math.max(range[2], v[0] * height);
    double y1 = Math.min(range[3], v[1] * height);
    if (x0 > x1 || y0 > y1) {
      return false;
    }
    xs[0] = random.uniform(x0, x1);
    ys[0] = random.uniform(y0, y1);
    return true;
  }

  /** Bounding boxes, grown by the gap, do not touch. */
  private static boolean separated(List<Candidate> candidates, double[] xs, double[] ys, double gap) {
    for (int i = 0; i < xs.length; i++) {
      for (int j = i + 1; j < xs.length; j++) {
        Candidate a = candidates.get(i);
        Candidate b = candidates.get(j);
        boolean apartX = xs[i] + a.right + gap <= xs[j] - b.left || xs[j] + b.right + gap <= xs[i] - a.left;
        boolean apartY = ys[i] + a.down + gap <= ys[j] - b.up || ys[j] + b.down + gap <= ys[i] - a.up;
        if (!apartX && !apartY) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean dominant(double[] xs, double[] ys, int width, int height, boolean horizontal) {
    double dx = Math.abs(xs[1] - xs[0]);
    double dy = Math.abs(ys[1] - ys[0]);
    double du = dx / width;
    double dv = dy / height;
    return horizontal
        ? dx >= RELATION_DOMINANCE * dy && du >= RELATION_DOMINANCE * dv
        : dy >= RELATION_DOMINANCE * dx && dv >= RELATION_DOMINANCE * du;
  }

  private static boolean ordered(double[] xs, int width) {
    double[] sorted = xs.clone();
    java.util.Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] - sorted[i - 1] < MIN_ORDER_GAP * width) {
        return false;
      }
    }
    return true;
  }
}
