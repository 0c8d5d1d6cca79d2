package dev.glimpse.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.checkpoint.CheckpointConfig;
import dev.glimpse.nn.ParameterGroup;
import dev.glimpse.train.Checkpoint;
import dev.glimpse.util.SafeTensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameter groups: 20 steps straight equal 10 steps, stop, resume 10, with a frozen group and one at
 * a tenth of the learning rate; the frozen part keeps its initial values and has no optimizer state;
 * the groups are recorded in the checkpoint.
 */
class ParameterGroupResumeTest {
  private static final List<ParameterGroup> GROUPS = List.of(
      ParameterGroup.frozen("vision."),
      ParameterGroup.scaled("decoder", 0.1, "decoder."));

  private static Recipe grouped(int steps) {
    Recipe r = TrainRunTest.tiny(steps);
    return r.withTrain(r.train().withGroups(GROUPS));
  }

  @Test
  void resumingWithGroupsGivesTheStraightRunBitForBit(@TempDir Path dir) throws Exception {
    Path straight = dir.resolve("straight");
    Path resumed = dir.resolve("resumed");
    Path untrained = dir.resolve("untrained");
    TrainRun.run(grouped(20), new TrainRun.Options(straight, false, Long.MAX_VALUE, false, true, TrainRunTest.QUIET));
    TrainRun.run(grouped(20), new TrainRun.Options(resumed, false, 10, false, true, TrainRunTest.QUIET));
    TrainRun.run(null, new TrainRun.Options(resumed, true, Long.MAX_VALUE, false, true, TrainRunTest.QUIET));
    assertEquals(TrainRunTest.lossLines(straight), TrainRunTest.lossLines(resumed));
    Map<String, SafeTensors.Tensor> a = weights(straight);
    Map<String, SafeTensors.Tensor> b = weights(resumed);
    for (String name : a.keySet()) {
      assertTrue(Arrays.equals(a.get(name).toFloats(), b.get(name).toFloats()), name + " differs after resume");
    }

    // the frozen tower keeps its initial values: those of a run stopped after one step
    TrainRun.run(grouped(20), new TrainRun.Options(untrained, false, 1, false, true, TrainRunTest.QUIET));
    Map<String, SafeTensors.Tensor> first = weights(untrained);
    int frozen = 0;
    int trained = 0;
    for (String name : a.keySet()) {
      boolean same = Arrays.equals(a.get(name).toFloats(), first.get(name).toFloats());
      if (name.startsWith("vision.")) {
        assertTrue(same, name + " is frozen");
        frozen++;
      } else if (name.startsWith("decoder.layers.0.mlp")) {
        assertFalse(same, name + " trains");
        trained++;
      }
    }
    assertTrue(frozen > 0 && trained > 0);

    Map<String, SafeTensors.Tensor> optimizer =
        SafeTensors.read(straight.resolve("checkpoint").resolve(Checkpoint.OPTIMIZER)).tensors();
    assertTrue(optimizer.keySet().stream().noneMatch(k -> k.startsWith("vision.")), "no state for frozen parameters");
    assertTrue(optimizer.keySet().stream().anyMatch(k -> k.startsWith("decoder.")));
    CheckpointConfig saved = Checkpoint.readConfig(straight.resolve("checkpoint"));
    assertEquals(GROUPS, saved.parameterGroups());
  }

  @Test
  void aGroupAtRateZeroStaysWhereItStartedWhileTheRestTrains(@TempDir Path dir) {
    Recipe r = TrainRunTest.tiny(6);
    Recipe still = r.withTrain(r.train().withGroups(List.of(ParameterGroup.scaled("decoder", 0.0, "decoder."))));
    Path one = dir.resolve("one");
    Path six = dir.resolve("six");
    TrainRun.run(still, new TrainRun.Options(one, false, 1, false, true, TrainRunTest.QUIET));
    TrainRun.run(still, new TrainRun.Options(six, false, Long.MAX_VALUE, false, true, TrainRunTest.QUIET));
    Map<String, SafeTensors.Tensor> early = weights(one);
    Map<String, SafeTensors.Tensor> late = weights(six);
    int checked = 0;
    int trained = 0;
    for (String name : late.keySet()) {
      boolean same = Arrays.equals(early.get(name).toFloats(), late.get(name).toFloats());
      if (name.startsWith("decoder.")) {
        assertTrue(same, name + " is at rate 0 (weight decay scales with the rate too)");
        checked++;
      } else if (name.startsWith("vision.encoder.layers.0.mlp")) {
        assertFalse(same, name + " trains at the run's rate");
        trained++;
      }
    }
    assertTrue(checked > 0 && trained > 0);
  }

  private static Map<String, SafeTensors.Tensor> weights(Path run) {
    return SafeTensors.read(run.resolve("checkpoint").resolve(Checkpoint.WEIGHTS)).tensors();
  }
}
