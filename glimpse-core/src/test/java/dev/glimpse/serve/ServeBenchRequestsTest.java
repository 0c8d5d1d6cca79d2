package dev.glimpse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How many requests each round of a `bench serve` level sends. */
class ServeBenchRequestsTest {
  @Test
  void byDefaultEachRoundSendsWholeWaves() {
    for (int c : new int[] {4, 16, 64}) {
      int n = ServeBench.requestsPerRound(c, 0, 3);
      assertEquals(0, n % c, "a partial last wave at concurrency " + c);
      assertEquals(4 * c, n, "four waves at concurrency " + c);
    }
    assertEquals(16, ServeBench.requestsPerRound(1, 0, 3), "at 1, sixteen requests a round");
    assertEquals(16, ServeBench.requestsPerRound(2, 0, 1));
  }

  @Test
  void givenRequestsAreSplitBetweenTheRounds() {
    assertEquals(32, ServeBench.requestsPerRound(16, 96, 3));
    assertEquals(16, ServeBench.requestsPerRound(16, 20, 3), "never fewer than one wave");
    assertEquals(2, ServeBench.requestsPerRound(1, 2, 1));
  }

  @Test
  void theWarmUpRunsWholeWavesAtEveryLevel() {
    for (int c : new int[] {4, 16, 64}) {
      assertEquals(2 * c, ServeBench.warmUpRequests(c), "two waves at " + c);
    }
    assertEquals(8, ServeBench.warmUpRequests(1));
  }
}
