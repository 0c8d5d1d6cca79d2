package dev.glimpse.data.synth;

import java.util.Locale;

/**
 * Object colors. Each has a base RGB (its most typical value) and a jitter range in HSV space
 * (hue in degrees, saturation and value in 0..1) that the generator samples from, so a model learns
 * a hue range rather than one RGB value. The ranges keep neighbours apart: red hues are within
 * ±8° of 0°, orange 24–40°, yellow 50–62°, purple 268–308°; white and black are nearly unsaturated. The common web
 * colors of each name (CSS red, green, blue, yellow, purple, orange, white, black) lie inside the
 * ranges.
 */
public enum ColorName {
  RED(0xDC1E1E, -8, 8, 0.75, 1.0, 0.75, 1.0),
  GREEN(0x1EA532, 100, 140, 0.6, 1.0, 0.45, 1.0),
  BLUE(0x1E46DC, 210, 240, 0.7, 1.0, 0.65, 1.0),
  YELLOW(0xF5DC1E, 50, 62, 0.75, 1.0, 0.9, 1.0),
  PURPLE(0x8C28B4, 268, 308, 0.55, 1.0, 0.45, 0.95),
  ORANGE(0xF58C14, 24, 40, 0.85, 1.0, 0.9, 1.0),
  WHITE(0xFAFAFA, 0, 360, 0.0, 0.05, 0.93, 1.0),
  BLACK(0x0F0F0F, 0, 360, 0.0, 0.2, 0.0, 0.14);

  private final int baseRgb;
  private final double minHue;
  private final double maxHue;
  private final double minSaturation;
  private final double maxSaturation;
  private final double minValue;
  private final double maxValue;

  ColorName(int baseRgb, double minHue, double maxHue, double minSaturation, double maxSaturation,
      double minValue, double maxValue) {
    this.baseRgb = baseRgb;
    this.minHue = minHue;
    this.maxHue = maxHue;
    this.minSaturation = minSaturation;
    this.maxSaturation = maxSaturation;
    this.minValue = minValue;
    this.maxValue = maxValue;
  }

  /** The caption word: "red", "green", ... */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Typical RGB as 0xRRGGBB. */
  public int baseRgb() {
    return baseRgb;
  }

  /** Hue range in degrees; the minimum may be negative (red wraps around 0°). */
  public double minHue() {
    return minHue;
  }

  public double maxHue() {
    return maxHue;
  }

  public double minSaturation() {
    return minSaturation;
  }

  public double maxSaturation() {
    return maxSaturation;
  }

  public double minValue() {
    return minValue;
  }

  public double maxValue() {
    return maxValue;
  }

  /** A jittered RGB (0xRRGGBB) inside this color's range, drawn from {@code random}. */
  public int sample(SceneRandom random) {
    double hue = random.uniform(minHue, maxHue);
    double saturation = random.uniform(minSaturation, maxSaturation);
    double value = random.uniform(minValue, maxValue);
    return hsvToRgb(hue, saturation, value);
  }

  /** Whether {@code rgb} lies in this color's HSV range (used by tests and the external images). */
  public boolean contains(int rgb) {
    double[] hsv = rgbToHsv(rgb);
    double eps = 0.01;
    // Rounding channels to 0..255 moves saturation by up to about 1.5 levels over the value.
    double saturationEps = eps + (hsv[2] > 0 ? 1.5 / (255 * hsv[2]) : 1);
    boolean hueOk = maxHue - minHue >= 360 || hsv[1] < 1e-9 || hueWithin(hsv[0], minHue, maxHue, 1.0);
    return hueOk
        && hsv[1] >= minSaturation - saturationEps && hsv[1] <= maxSaturation + saturationEps
        && hsv[2] >= minValue - eps && hsv[2] <= maxValue + eps;
  }

  /** Parses a caption word ("red", ...); "violet" is read as purple, "grey" is not a color here. */
  public static ColorName fromWord(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    if (w.equals("violet")) {
      return PURPLE;
    }
    for (ColorName c : values()) {
      if (c.word().equals(w)) {
        return c;
      }
    }
    return null;
  }

  private static boolean hueWithin(double hue, double min, double max, double slack) {
    double h = min - slack + ((hue - (min - slack)) % 360 + 360) % 360;
    return h <= max + slack;
  }

  /** HSV (hue degrees, any range; s, v in 0..1) to 0xRRGGBB, rounding each channel. */
  static int hsvToRgb(double hue, double saturation, double value) {
    double h = ((hue % 360) + 360) % 360 / 60.0;
    int sector = (int) Math.floor(h) % 6;
    double f = h - Math.floor(h);
    double p = value * (1 - saturation);
    double q = value * (1 - saturation * f);
    double t = value * (1 - saturation * (1 - f));
    double r;
    double g;
    double b;
    switch (sector) {
      case 0 -> { r = value; g = t; b = p; }
      case 1 -> { r = q; g = value; b = p; }
      case 2 -> { r = p; g = value; b = t; }
      case 3 -> { r = p; g = q; b = value; }
      case 4 -> { r = t; g = p; b = value; }
      default -> { r = value; g = p; b = q; }
    }
    return (channel(r) << 16) | (channel(g) << 8) | channel(b);
  }

  /** 0xRRGGBB to {hue degrees 0..360, saturation, value}. */
  static double[] rgbToHsv(int rgb) {
    double r = ((rgb >> 16) & 0xFF) / 255.0;
    double g = ((rgb >> 8) & 0xFF) / 255.0;
    double b = (rgb & 0xFF) / 255.0;
    double max = Math.max(r, Math.max(g, b));
    double min = Math.min(r, Math.min(g, b));
    double delta = max - min;
    double hue;
    if (delta == 0) {
      hue = 0;
    } else if (max == r) {
      hue = 60 * (((g - b) / delta) % 6);
    } else if (max == g) {
      hue = 60 * ((b - r) / delta + 2);
    } else {
      hue = 60 * ((r - g) / delta + 4);
    }
    if (hue < 0) {
      hue += 360;
    }
    return new double[] {hue, max == 0 ? 0 : delta / max, max};
  }

  private static int channel(double x) {
    return (int) Math.max(0, Math.min(255, Math.round(x * 255)));
  }
}
