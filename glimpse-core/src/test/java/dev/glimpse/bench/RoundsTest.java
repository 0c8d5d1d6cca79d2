package dev.glimpse.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundsTest {
  @Test
  void variantsAlternateWithARotatingStartAfterOneWarmUpEach() {
    List<String> calls = new ArrayList<>();
    Map<String, Rounds.Variant> variants = new LinkedHashMap<>();
    for (String name : List.of("a", "b", "c")) {
      variants.put(name, () -> {
        calls.add(name);
        return new double[] {calls.size()};
      });
    }
    Rounds rounds = Rounds.run(variants, 3);
    assertEquals(List.of("a", "b", "c", "a", "b", "c", "b", "c", "a", "c", "a", "b"), calls);
    // the warm-up calls (1-3) are not recorded; call k returned k
    assertArrayEquals(new double[] {4, 9, 11}, rounds.seconds("a", 0));
    assertArrayEquals(new double[] {5, 7, 12}, rounds.seconds("b", 0));
    assertArrayEquals(new double[] {6, 8, 10}, rounds.seconds("c", 0));

    calls.clear();
    Rounds.run(variants, 2, false);
    assertEquals(List.of("a", "b", "c", "b", "c", "a"), calls);
    assertThrows(IllegalArgumentException.class, () -> Rounds.run(variants, 0));
  }

  @Test
  void ratiosAreTakenWithinARoundAndSummarisedByTheirMedian() {
    // A load spike in round 2 slows both variants: the per-round ratio stays 2, while the ratio of the
    // two medians would not.
    double[] fast = {1.0, 3.0, 1.1, 1.2};
    double[] slow = {2.0, 6.0, 2.2, 2.4};
    Rounds.Stats ratio = Rounds.Stats.ratio(slow, fast);
    assertEquals(2.0, ratio.median(), 1e-12);
    assertEquals(2.0, ratio.min(), 1e-12);
    assertEquals(2.0, ratio.max(), 1e-12);
    Rounds.Stats spread = Rounds.Stats.of(new double[] {5, 1, 4, 2});
    assertEquals(3.0, spread.median(), 1e-12); // even count: mean of the middle two
    assertEquals(1.0, spread.min());
    assertEquals(5.0, spread.max());
    assertEquals(4.0 / 3.0, spread.relativeSpread(), 1e-12);
    assertArrayEquals(new double[] {5, 1, 4, 2}, spread.values()); // round order kept
    assertEquals(2.0, Rounds.Stats.of(new double[] {3, 2, 1}).median());
    assertEquals(10.0, Rounds.Stats.of(new double[] {0.1, 0.2, 0.4}).inverse(2.0).median(), 1e-12);
    assertEquals("3.00 (1.00-5.00 over 4 rounds)", spread.describe("%.2f"));
    assertEquals(4, spread.toJson().getAsJsonArray("rounds").size());
  }

  @Test
  void totalsAddEachRunsParts() {
    Map<String, Rounds.Variant> variants = new LinkedHashMap<>();
    variants.put("x", () -> new double[] {0.5, 1.5});
    Rounds rounds = Rounds.run(variants, 2);
    assertArrayEquals(new double[] {2.0, 2.0}, rounds.total("x"));
    assertArrayEquals(new double[] {1.5, 1.5}, rounds.seconds("x", 1));
    assertThrows(IllegalArgumentException.class, () -> rounds.seconds("y", 0));
  }
}
