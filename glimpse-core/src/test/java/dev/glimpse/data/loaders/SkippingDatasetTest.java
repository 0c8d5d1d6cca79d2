package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Dataset;
import dev.glimpse.data.Example;
import dev.glimpse.data.SampleException;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SkippingDatasetTest {
  /** Examples 0..size-1; the indices in {@code bad} throw like a missing file. */
  private static final class FakeDataset implements Dataset {
    final int size;
    final Set<Integer> bad;
    final AtomicInteger reads = new AtomicInteger();

    FakeDataset(int size, Set<Integer> bad) {
      this.size = size;
      this.bad = bad;
    }

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public Example get(int index) {
      reads.incrementAndGet();
      if (bad.contains(index)) {
        throw new SampleException("image not found: img" + index + ".jpg");
      }
      return Example.caption(String.valueOf(index), TestFiles.solid(2, 2, Color.RED), List.of("c"), Map.of());
    }
  }

  @Test
  void getSubstitutesTheNextReadableSampleAndCounts() {
    List<String> warnings = new ArrayList<>();
    SkippingDataset data = new SkippingDataset(new FakeDataset(5, Set.of(1, 2, 4)), new SkipLog("fake", warnings::add));
    assertEquals("0", data.get(0).id());
    assertEquals("3", data.get(1).id());
    assertEquals("0", data.get(4).id(), "wraps around at the end");
    assertEquals(3, data.skippedCount(), "1 and 2 while looking from index 1, 4 from index 4");
    assertEquals(Set.of(1, 2, 4), data.badIndices());
    assertEquals(3, warnings.size(), "one warning per bad sample");
    assertTrue(warnings.get(0).contains("img1.jpg"), warnings.get(0));
  }

  @Test
  void iteratorLeavesBadSamplesOutAndDoesNotRereadThem() {
    FakeDataset fake = new FakeDataset(6, Set.of(0, 3));
    SkippingDataset data = new SkippingDataset(fake, new SkipLog("fake", w -> {}));
    List<String> ids = new ArrayList<>();
    data.iterator(new int[] {5, 4, 3, 2, 1, 0}).forEachRemaining(e -> ids.add(e.id()));
    assertEquals(List.of("5", "4", "2", "1"), ids);
    int readsAfterFirstEpoch = fake.reads.get();
    data.iterator(new int[] {3, 0}).forEachRemaining(e -> ids.add(e.id()));
    assertEquals(readsAfterFirstEpoch, fake.reads.get(), "known bad samples are not read again");
    assertEquals(4, data.skippedCount());
  }

  @Test
  void warningsSwitchToCountsAfterTheFirstFew() {
    List<String> warnings = new ArrayList<>();
    SkipLog log = new SkipLog("big", warnings::add);
    for (int i = 0; i < 1000; i++) {
      log.skip("sample " + i);
    }
    assertEquals(1000, log.count());
    // 5 in full, the switch notice, then at 10, 100 and 1000.
    assertEquals(SkipLog.FULL_MESSAGES + 1 + 3, warnings.size(), warnings.toString());
    assertTrue(warnings.get(warnings.size() - 1).contains("skipped 1000 samples"));
  }

  @Test
  void aDatasetWithNothingReadableIsAnErrorNotAnEndlessLoop() {
    Set<Integer> all = new java.util.HashSet<>();
    for (int i = 0; i < 300; i++) {
      all.add(i);
    }
    SkippingDataset data = new SkippingDataset(new FakeDataset(300, all), new SkipLog("fake", w -> {}));
    GlimpseException e = assertThrows(GlimpseException.class, () -> data.get(0));
    assertTrue(e.getMessage().contains("100 samples in a row") && e.getMessage().contains("img99.jpg"), e.getMessage());
    Iterator<Example> it = data.iterator(new int[] {1, 2, 3});
    assertFalse(it.hasNext(), "three bad samples are fewer than the limit: just an empty epoch");
  }
}
