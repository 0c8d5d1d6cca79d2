package dev.glimpse.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import dev.glimpse.data.ScheduledDataset;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A {@link ScheduledDataset} gets each step's progress from the batch source. */
class ScheduledBatchSourceTest {
  /** Example ids carry the progress they were asked at. */
  private static final class ProgressEcho implements ScheduledDataset {
    @Override
    public String name() {
      return "echo";
    }

    @Override
    public int size() {
      return 100;
    }

    @Override
    public Example get(int index, double progress) {
      return Example.caption(String.valueOf(progress), new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB),
          List.of("x"), Map.of());
    }
  }

  @Test
  void everyExampleOfAStepSeesThatStepsProgress() {
    ExampleBatchSource<List<String>> source = new ExampleBatchSource<>(new ProgressEcho(),
        (examples, random) -> examples.stream().map(Example::id).toList(), 4, 2, 7, 11);
    assertEquals(List.of("0.0", "0.0", "0.0", "0.0"), source.batch(0, 1));
    assertEquals(List.of("0.5", "0.5", "0.5", "0.5"), source.batch(5, 0));
    assertEquals(List.of("1.0", "1.0", "1.0", "1.0"), source.batch(10, 1), "the last step is progress 1");
    assertEquals(source.batch(5, 0), source.batch(5, 0), "a resumed run rebuilds the same batch");
  }

  @Test
  void aScheduledDatasetNeedsTheNumberOfSteps() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ExampleBatchSource<List<String>>(new ProgressEcho(), (examples, random) -> List.of(), 4, 1, 7));
    assertTrue(e.getMessage().contains("number of steps"), e.getMessage());
  }
}
