package dev.glimpse.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times two or more variants alternately: each runs once untimed (warm-up), then every round runs
 * each variant once, starting with a different one each round (round r starts with variant r mod
 * n). On a shared machine the load drifts over seconds; timing one variant in one block and then the
 * other gives ratios that swing with it (a packing speedup of 2.2 and 1.2 a minute apart), while
 * alternating exposes both to the same load, and the per-round ratios with their median and spread
 * say how much a figure can be trusted.
 */
public final class Rounds {
  /** One run of a variant: the seconds of each of its timed parts (e.g. {prefill, decode}). */
  @FunctionalInterface
  public interface Variant {
    double[] run();
  }

  private final List<String> names;
  private final Map<String, List<double[]>> results = new LinkedHashMap<>();
  private final int rounds;

  private Rounds(List<String> names, int rounds) {
    this.names = names;
    this.rounds = rounds;
    for (String name : names) {
      results.put(name, new ArrayList<>());
    }
  }

  /** Runs every variant once to warm up, then {@code rounds} alternating rounds. */
  public static Rounds run(Map<String, Variant> variants, int rounds) {
    return run(variants, rounds, true);
  }

  /** {@code rounds} alternating rounds, after a warm-up run of each variant if {@code warmUp}. */
  public static Rounds run(Map<String, Variant> variants, int rounds, boolean warmUp) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
    }
    if (variants.isEmpty()) {
      throw new IllegalArgumentException("no variants");
    }
    List<String> names = List.copyOf(variants.keySet());
    Rounds out = new Rounds(names, rounds);
    for (String name : warmUp ? names : List.<String>of()) {
      variants.get(name).run();
    }
    int n = names.size();
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < n; k++) {
        String name = names.get((r + k) % n);
        out.results.get(name).add(variants.get(name).run().clone());
      }
    }
    return out;
  }

  public int rounds() {
    return rounds;
  }

  /** The seconds of part {@code part} of a variant, one per round in round order. */
  public double[] seconds(String variant, int part) {
    List<double[]> runs = results.get(variant);
    if (runs == null) {
      throw new IllegalArgumentException("no variant " + variant + " (have " + names + ")");
    }
    return runs.stream().mapToDouble(r -> r[part]).toArray();
  }

  /** The seconds of all parts of a variant added up, one per round. */
  public double[] total(String variant) {
    return results.get(variant).stream().mapToDouble(r -> Arrays.stream(r).sum()).toArray();
  }

  /** Median, smallest and largest of some per-round values. */
  public record Stats(double median, double min, double max, double[] values) {
    public static Stats of(double[] values) {
      if (values.length == 0) {
        throw new IllegalArgumentException("no values");
      }
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      int n = sorted.length;
      double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      return new Stats(median, sorted[0], sorted[n - 1], values.clone());
    }

    /** The ratio {@code numerator[r] / denominator[r]} of each round (both timed in the same round). */
    public static Stats ratio(double[] numerator, double[] denominator) {
      if (numerator.length != denominator.length) {
        throw new IllegalArgumentException(numerator.length + " values against " + denominator.length);
      }
      double[] r = new double[numerator.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = numerator[i] / denominator[i];
      }
      return of(r);
    }

    /** {@code value / x} for each value (a rate from seconds, say). */
    public Stats inverse(double value) {
      return of(Arrays.stream(values).map(x -> value / x).toArray());
    }

    /** (max - min) / median. */
    public double relativeSpread() {
      return (max - min) / median;
    }

    /** {"median", "min", "max", "rounds": [...]} */
    public JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("median", median);
      o.addProperty("min", min);
      o.addProperty("max", max);
      JsonArray all = new JsonArray();
      for (double v : values) {
        all.add(v);
      }
      o.add("rounds", all);
      return o;
    }

    /** "1.64x (1.52x-1.71x over 5 rounds)" for the format "%.2fx". */
    public String describe(String format) {
      return String.format(format, median) + " (" + String.format(format, min) + "-" + String.format(format, max)
          + " over " + values.length + " round" + (values.length == 1 ? "" : "s") + ")";
    }
  }
}
