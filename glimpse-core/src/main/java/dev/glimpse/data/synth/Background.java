package dev.glimpse.data.synth;

import java.util.List;

/**
 * What is behind the objects: a plain tone, a linear gradient between two tones, or a tone with a
 * soft blotchy texture. Tones come from a small palette ({@link #TONES}: white, black, grays and
 * pastels), each slightly jittered per scene.
 *
 * @param kind plain, gradient or texture
 * @param fromName palette name of the (first) tone, e.g. "white", "pastel blue"
 * @param fromRgb its RGB (0xRRGGBB), after jitter
 * @param toName the gradient's second tone (same as {@code fromName} otherwise)
 * @param toRgb its RGB
 * @param angle gradient direction in degrees (0 = left to right, 90 = top to bottom)
 * @param textureAmplitude largest deviation of the texture from {@code fromRgb}, in levels (0..255)
 */
public record Background(
    Kind kind, String fromName, int fromRgb, String toName, int toRgb, double angle, int textureAmplitude) {

  public enum Kind {
    PLAIN,
    GRADIENT,
    TEXTURE
  }

  /** Brightness group of a palette tone; gradients join two tones of the same group. */
  public enum Group {
    LIGHT,
    MID,
    DARK
  }

  /** Where background tones are drawn from. */
  public enum Tones {
    /** The named palette {@link #TONES}, each tone jittered a little. */
    PALETTE,
    /**
     * Any tone of a brightness group: light and pastel (value 0.78–1, saturation up to 0.3, any hue)
     * half of the time, mid (value 0.4–0.7, saturation up to 0.25) 15%, dark and near-black (value
     * 0.1–0.35, saturation up to 0.5) 35%: what other drawing programs' backgrounds look like.
     */
    WIDE
  }

  /** A palette entry. */
  public record Tone(String name, int rgb, Group group) {}

  /** The background palette. */
  public static final List<Tone> TONES =
      List.of(
          new Tone("white", 0xFFFFFF, Group.LIGHT),
          new Tone("light gray", 0xCDCDCD, Group.LIGHT),
          new Tone("cream", 0xF5F0E1, Group.LIGHT),
          new Tone("pastel pink", 0xFAD7DC, Group.LIGHT),
          new Tone("pastel blue", 0xCDE1FA, Group.LIGHT),
          new Tone("pastel green", 0xD2F0D2, Group.LIGHT),
          new Tone("pastel yellow", 0xFAF5C8, Group.LIGHT),
          new Tone("lavender", 0xE1D7F5, Group.LIGHT),
          new Tone("peach", 0xFAE1C8, Group.LIGHT),
          new Tone("gray", 0x8C8C8C, Group.MID),
          new Tone("slate", 0x64708A, Group.MID),
          new Tone("dark gray", 0x464646, Group.DARK),
          new Tone("black", 0x0A0A0A, Group.DARK),
          new Tone("navy", 0x141E3C, Group.DARK));

  public Background {
    if (kind == null || fromName == null || toName == null) {
      throw new IllegalArgumentException("background kind and tone names must be set");
    }
    if (textureAmplitude < 0 || textureAmplitude > 64) {
      throw new IllegalArgumentException("textureAmplitude must be in 0..64: " + textureAmplitude);
    }
  }

  /** Largest change per channel applied to a palette tone. */
  static final int JITTER = 8;

  /**
   * A background drawn from the palette: plain, gradient (two tones of the same brightness group,
   * any direction) or texture (amplitude 6–16 levels), with the config's probabilities; each tone
   * jittered by up to ±{@value #JITTER} per channel.
   */
  public static Background sample(SceneRandom random, SceneConfig config) {
    return sample(random, config, null);
  }

  /**
   * As {@link #sample(SceneRandom, SceneConfig)}; with {@link Tones#WIDE} tones and a {@code group},
   * the tone comes from that group (ignored for the palette).
   */
  public static Background sample(SceneRandom random, SceneConfig config, Group group) {
    if (config.tones() == Tones.WIDE) {
      return sampleWide(random, config, group);
    }
    Tone from = random.pick(TONES);
    int fromRgb = jitter(random, from.rgb());
    double kind = random.nextDouble();
    if (kind < config.plainBackgroundProbability()) {
      return new Background(Kind.PLAIN, from.name(), fromRgb, from.name(), fromRgb, 0, 0);
    }
    if (kind < config.plainBackgroundProbability() + config.gradientBackgroundProbability()) {
      List<Tone> partners = TONES.stream().filter(t -> t.group() == from.group() && t != from).toList();
      Tone to = random.pick(partners);
      double angle = random.uniform(0, 360);
      return new Background(Kind.GRADIENT, from.name(), fromRgb, to.name(), jitter(random, to.rgb()), angle, 0);
    }
    int amplitude = random.intBetween(6, 16);
    return new Background(Kind.TEXTURE, from.name(), fromRgb, from.name(), fromRgb, 0, amplitude);
  }

  /** As {@link #sample}, with tones from the whole range of their group ({@link Tones#WIDE}). */
  private static Background sampleWide(SceneRandom random, SceneConfig config, Group preferred) {
    Group group = preferred != null ? preferred : switch (random.weighted(new double[] {0.5, 0.15, 0.35})) {
      case 0 -> Group.LIGHT;
      case 1 -> Group.MID;
      default -> Group.DARK;
    };
    String name = group.name().toLowerCase(java.util.Locale.ROOT) + " tone";
    int fromRgb = wideTone(random, group);
    double kind = random.nextDouble();
    if (kind < config.plainBackgroundProbability()) {
      return new Background(Kind.PLAIN, name, fromRgb, name, fromRgb, 0, 0);
    }
    if (kind < config.plainBackgroundProbability() + config.gradientBackgroundProbability()) {
      return new Background(Kind.GRADIENT, name, fromRgb, name, wideTone(random, group), random.uniform(0, 360), 0);
    }
    return new Background(Kind.TEXTURE, name, fromRgb, name, fromRgb, 0, random.intBetween(6, 16));
  }

  private static int wideTone(SceneRandom random, Group group) {
    double hue = random.uniform(0, 360);
    return switch (group) {
      case LIGHT -> ColorName.hsvToRgb(hue, random.uniform(0, 0.3), random.uniform(0.78, 1.0));
      case MID -> ColorName.hsvToRgb(hue, random.uniform(0, 0.25), random.uniform(0.4, 0.7));
      case DARK -> ColorName.hsvToRgb(hue, random.uniform(0, 0.5), random.uniform(0.1, 0.35));
    };
  }

  private static int jitter(SceneRandom random, int rgb) {
    int out = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      int c = ((rgb >> shift) & 0xFF) + random.intBetween(-JITTER, JITTER);
      out |= Math.max(0, Math.min(255, c)) << shift;
    }
    return out;
  }

  /** A plain background of one color. */
  public static Background plain(String name, int rgb) {
    return new Background(Kind.PLAIN, name, rgb & 0xFFFFFF, name, rgb & 0xFFFFFF, 0, 0);
  }

  /** "plain white", "gradient from pastel blue to white", "textured gray". */
  public String describe() {
    return switch (kind) {
      case PLAIN -> "plain " + fromName;
      case GRADIENT -> "gradient from " + fromName + " to " + toName;
      case TEXTURE -> "textured " + fromName;
    };
  }

  /**
   * The smallest RGB (Euclidean, 0..255 per channel) distance between {@code rgb} and any color
   * this background can show before pixel noise: the distance to the gradient segment, less the
   * texture's reach.
   */
  public double distanceTo(int rgb) {
    double[] p = channels(rgb);
    double[] a = channels(fromRgb);
    double[] b = channels(toRgb);
    double[] ab = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    double lengthSquared = ab[0] * ab[0] + ab[1] * ab[1] + ab[2] * ab[2];
    double t = 0;
    if (lengthSquared > 0) {
      t = ((p[0] - a[0]) * ab[0] + (p[1] - a[1]) * ab[1] + (p[2] - a[2]) * ab[2]) / lengthSquared;
      t = Math.max(0, Math.min(1, t));
    }
    double dr = p[0] - (a[0] + t * ab[0]);
    double dg = p[1] - (a[1] + t * ab[1]);
    double db = p[2] - (a[2] + t * ab[2]);
    return Math.sqrt(dr * dr + dg * dg + db * db) - textureAmplitude * Math.sqrt(3);
  }

  static double[] channels(int rgb) {
    return new double[] {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
  }
}
