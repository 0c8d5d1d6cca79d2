package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.MixtureTest.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ScheduledMixture}: a share that moves linearly over training, deterministic per (index, progress). */
class ScheduledMixtureTest {
  private static double extraShare(ScheduledMixture mix, double progress) {
    int extras = 0;
    for (int i = 0; i < mix.size(); i++) {
      extras += mix.get(i, progress).id().startsWith("clean-") ? 1 : 0;
    }
    return (double) extras / mix.size();
  }

  @ParameterizedTest
  @CsvSource({"0.5, 0.05", "0.1, 0.6", "0.3, 0.3", "0, 0.4"})
  void theShareMovesLinearlyFromStartToEnd(double start, double end) {
    ScheduledMixture mix = new ScheduledMixture(new Named("sign", 20_000), new Named("clean", 50), start, end);
    assertEquals(20_000, mix.size());
    for (double p : new double[] {0, 0.25, 0.5, 1}) {
      double expected = start + (end - start) * p;
      assertEquals(expected, mix.share(p), 1e-12);
      // 20000 Bernoulli draws: standard deviation at most 0.0036
      assertEquals(expected, extraShare(mix, p), 0.015, "share at progress " + p);
    }
    assertEquals(end, mix.share(1.7), 1e-12, "progress past the end is clamped");
  }

  @Test
  void aRampReachesTheEndShareEarlyAndStaysThere() {
    ScheduledMixture mix = new ScheduledMixture(new Named("sign", 20_000), new Named("clean", 50), 0.8, 0.1, 0.25);
    assertEquals(0.8, mix.share(0), 1e-12);
    assertEquals(0.45, mix.share(0.125), 1e-12);
    assertEquals(0.1, mix.share(0.25), 1e-12);
    assertEquals(0.1, mix.share(0.9), 1e-12);
    assertEquals(0.45, extraShare(mix, 0.125), 0.015);
    assertEquals(0.1, extraShare(mix, 0.6), 0.015);
    assertTrue(mix.name().endsWith("@0.8->0.1@0.25"), mix.name());
  }

  @Test
  void aHoldKeepsTheStartShareThenTheRampRunsToItsEnd() {
    ScheduledMixture mix = new ScheduledMixture(new Named("sign", 20_000), new Named("clean", 50), 0.99, 0.05, 0.2,
        0.4);
    assertEquals(0.99, mix.share(0), 1e-12);
    assertEquals(0.99, mix.share(0.2), 1e-12, "held to the end of the hold");
    assertEquals(0.52, mix.share(0.3), 1e-12, "half-way through the ramp");
    assertEquals(0.05, mix.share(0.4), 1e-12);
    assertEquals(0.05, mix.share(0.95), 1e-12);
    assertEquals(0.99, extraShare(mix, 0.1), 0.015);
    assertEquals(0.52, extraShare(mix, 0.3), 0.015);
    assertEquals(0.05, extraShare(mix, 0.7), 0.015);
    assertTrue(mix.name().endsWith("@0.99->0.05@0.2-0.4"), mix.name());
    assertEquals(new ScheduledMixture(new Named("sign", 10), new Named("clean", 5), 0.8, 0.1, 0, 0.25).share(0.125),
        new ScheduledMixture(new Named("sign", 10), new Named("clean", 5), 0.8, 0.1, 0.25).share(0.125), 1e-12,
        "a hold of 0 is the plain ramp");
  }

  @Test
  void anIndexKeepsItsExampleAndExtrasLeaveOnlyWhenTheShareFalls() {
    ScheduledMixture mix = new ScheduledMixture(new Named("sign", 2000), new Named("clean", 7), 0.5, 0.1);
    int cameBack = 0;
    for (int i = 0; i < mix.size(); i++) {
      Example early = mix.get(i, 0.1);
      assertEquals(early.id(), mix.get(i, 0.1).id(), "pure function of (index, progress)");
      Example late = mix.get(i, 0.9);
      if (late.id().startsWith("clean-")) {
        assertTrue(early.id().startsWith("clean-"), "an index that is extra late in the run is extra early on: " + i);
        assertEquals(early.id(), late.id(), "and the same extra example");
      } else {
        assertEquals("sign-" + i, late.id());
        cameBack += early.id().startsWith("clean-") ? 1 : 0;
      }
    }
    // shares 0.46 -> 0.14: about 0.32 of the indices come back to their own sign
    assertTrue(cameBack > 500 && cameBack < 780, "signs displaced early and back later: " + cameBack);
    assertEquals(mix.get(3, 0).id(), mix.get(3).id(), "plain get is the start of training");
  }

  @Test
  void badArgumentsAreRefused() {
    Named signs = new Named("sign", 10);
    assertThrows(IllegalArgumentException.class, () -> new ScheduledMixture(signs, new Named("clean", 0), 0.5, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new ScheduledMixture(signs, signs, 1.0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new ScheduledMixture(signs, signs, 0.5, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new ScheduledMixture(signs, signs, 0.5, 0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> new ScheduledMixture(signs, signs, 0.5, 0.1, 1.5));
    assertThrows(IllegalArgumentException.class, () -> new ScheduledMixture(signs, signs, 0.9, 0.1, 0.3, 0.3),
        "the ramp must end after the hold");
    assertThrows(IllegalArgumentException.class, () -> new ScheduledMixture(signs, signs, 0.9, 0.1, -0.1, 0.3));
    assertThrows(IndexOutOfBoundsException.class, () -> new ScheduledMixture(signs, signs, 0.5, 0.1).get(10, 0));
  }
}
