package dev.glimpse.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The projected total time of a run, printed once the steps after the warm-up are timed. */
class ProgressTest {
  private long now = 1_000_000_000_000L; // System.nanoTime is far from 0

  private List<String> lines(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void projectsTheTotalFromTheStepsAfterTheWarmUp() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Progress progress = new Progress("train", 0, 7000, false, new PrintStream(out, true, StandardCharsets.UTF_8),
        () -> now, false);
    // five slow warm-up steps of 2 s, then 0.2 s a step
    for (int step = 1; step <= 5; step++) {
      now += 2_000_000_000L;
      progress.step(step, "");
    }
    for (int step = 6; step <= 200; step++) {
      now += 200_000_000L;
      progress.step(step, "");
    }
    List<String> projections = lines(out).stream().filter(l -> l.contains("projected")).toList();
    assertEquals(1, projections.size(), lines(out).toString());
    // after step 55: 10 s of warm-up + 50 x 0.2 s, then 6,945 steps x 0.2 s = 1,409 s = 23.5 min
    assertEquals("train: 7,000 steps projected to take 23.5 min in all (0.200 s/step over steps 6-55; the pace "
        + "depends on this machine and its load)", projections.get(0));
    // a plain line without a message has no stray separator
    assertTrue(lines(out).get(0).startsWith("train 1/7000 (0%), 2s elapsed, ETA "), lines(out).toString());
  }

  @Test
  void aResumedRunProjectsItsRemainingStepsAndSlowStepsProjectAfterThirtySeconds() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Progress progress = new Progress("train", 3000, 7000, false, new PrintStream(out, true, StandardCharsets.UTF_8),
        () -> now, false);
    for (int step = 3001; step <= 3020; step++) {
      now += 3_000_000_000L;
      progress.step(step, "");
    }
    List<String> projections = lines(out).stream().filter(l -> l.contains("projected")).toList();
    assertEquals(1, projections.size(), lines(out).toString());
    // timed from step 3005 to 3015 (30 s): 45 s elapsed + 3,985 x 3 s
    assertEquals("train: 4,000 steps projected to take 3 h 20 min in all (3.000 s/step over steps 3006-3015; the "
        + "pace depends on this machine and its load)", projections.get(0));
  }

  @Test
  void quietOrShortRunsPrintNoProjection() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
    Progress quiet = new Progress("train", 0, 7000, true, stream, () -> now, false);
    Progress shortRun = new Progress("train", 0, 60, false, stream, () -> now, false);
    for (int step = 1; step <= 60; step++) {
      now += 1_000_000_000L;
      quiet.step(step, "");
      shortRun.step(step, "");
    }
    assertTrue(lines(out).stream().noneMatch(l -> l.contains("projected")), lines(out).toString());
  }

  @Test
  void durationsReadNaturally() {
    assertEquals("42 s", Progress.duration(42));
    assertEquals("12.7 min", Progress.duration(762));
    assertEquals("1 h 05 min", Progress.duration(3900));
  }
}
