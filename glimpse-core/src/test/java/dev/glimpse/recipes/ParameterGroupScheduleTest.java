package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.train.LrSchedule;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameter groups with a start step (an unfreezing schedule in one run): the group keeps its initial
 * values before its step and trains from it; its first update is Adam's first step (its own step count
 * starts there, as a PyTorch parameter that first receives a gradient then); interrupted and resumed
 * before or after the start, a run gives the straight run bit for bit.
 */
class ParameterGroupScheduleTest {
  private static final int START = 5;
  private static final List<ParameterGroup> GROUPS = List.of(ParameterGroup.from("decoder", START, "decoder."));

  private static Recipe scheduled(int steps) {
    Recipe r = TrainRunTest.tiny(steps);
    return r.withTrain(r.train().withGroups(GROUPS));
  }

  private static Map<String, SafeTensors.Tensor> stoppedAfter(Path dir, long steps) {
    TrainRun.run(scheduled(10), new TrainRun.Options(dir, false, steps, false, true, TrainRunTest.QUIET));
    return SafeTensors.read(dir.resolve(Checkpoint.RUN_CHECKPOINT).resolve(Checkpoint.WEIGHTS)).tensors();
  }

  @Test
  void aGroupIsFixedBeforeItsStartStepAndTrainsFromItWithAdamsFirstStep(@TempDir Path dir) {
    Map<String, SafeTensors.Tensor> one = stoppedAfter(dir.resolve("one"), 1);
    Map<String, SafeTensors.Tensor> before = stoppedAfter(dir.resolve("before"), START);
    Map<String, SafeTensors.Tensor> after = stoppedAfter(dir.resolve("after"), START + 1);
    double lr = LrSchedule.of(scheduled(10).train()).at(START);
    int decoder = 0;
    for (String name : before.keySet()) {
      float[] a = one.get(name).toFloats();
      float[] b = before.get(name).toFloats();
      if (name.startsWith("decoder.")) {
        assertArrayEquals(a, b, name + " is fixed before step " + START);
        if (name.endsWith("mlp.fc1.weight")) {
          float[] c = after.get(name).toFloats();
          double largest = 0;
          for (int i = 0; i < b.length; i++) {
            largest = Math.max(largest, Math.abs(c[i] - b[i]));
          }
          // Adam's first update moves each weight by about lr (plus a little decay); with the run's step
          // count (6) in the bias correction it would move by about half of that
          assertTrue(largest > 0.9 * lr && largest < 1.1 * lr, name + ": first update " + largest + " for lr " + lr);
          decoder++;
        }
      } else if (name.startsWith("vision.encoder.layers.0.mlp")) {
        assertFalse(Arrays.equals(a, b), name + " trains from the start");
      }
    }
    assertTrue(decoder > 0);
  }

  @Test
  void resumingBeforeOrAfterTheStartGivesTheStraightRun(@TempDir Path dir) throws Exception {
    Path straight = dir.resolve("straight");
    TrainRun.run(scheduled(10), new TrainRun.Options(straight, false, Long.MAX_VALUE, false, true, TrainRunTest.QUIET));
    for (int stop : new int[] {3, 7}) {
      Path resumed = dir.resolve("resumed-" + stop);
      TrainRun.run(scheduled(10), new TrainRun.Options(resumed, false, stop, false, true, TrainRunTest.QUIET));
      TrainRun.run(null, new TrainRun.Options(resumed, true, Long.MAX_VALUE, false, true, TrainRunTest.QUIET));
      assertEquals(TrainRunTest.lossLines(straight), TrainRunTest.lossLines(resumed), "stopped at " + stop);
      Map<String, SafeTensors.Tensor> a = SafeTensors.read(straight.resolve("checkpoint/model.safetensors")).tensors();
      Map<String, SafeTensors.Tensor> b = SafeTensors.read(resumed.resolve("checkpoint/model.safetensors")).tensors();
      for (String name : a.keySet()) {
        assertArrayEquals(a.get(name).toFloats(), b.get(name).toFloats(), name + " after a stop at " + stop);
      }
    }
  }

  @Test
  void aFrozenGroupCannotHaveAStartStep() {
    assertThrows(IllegalArgumentException.class,
        () -> new ParameterGroup("x", List.of("decoder."), null, null, true, 3));
    assertThrows(IllegalArgumentException.class, () -> ParameterGroup.from("x", -1, "decoder."));
  }
}
