package dev.glimpse.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MixtureTest {
  /** A dataset whose example ids are "prefix-index" (also used by {@link ScheduledMixtureTest}). */
  record Named(String prefix, int size) implements Dataset {
    @Override
    public String name() {
      return prefix;
    }

    @Override
    public Example get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException(index);
      }
      return Example.caption(prefix + "-" + index, new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB),
          List.of("x"), Map.of());
    }
  }

  @ParameterizedTest
  @CsvSource({"10, 0.5", "7, 0.5", "1000, 0.3", "999, 0.25", "5, 0.9", "1, 0.5"})
  void everyMainExampleOnceAndExtrasAtTheirShare(int mainSize, double share) {
    Mixture mix = new Mixture(new Named("vqa", mainSize), new Named("cap", 3), share);
    List<String> main = new ArrayList<>();
    int extras = 0;
    for (int i = 0; i < mix.size(); i++) {
      String id = mix.get(i).id();
      if (id.startsWith("cap-")) {
        extras++;
        assertTrue(mix.isExtra(i));
      } else {
        main.add(id);
      }
    }
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < mainSize; i++) {
      expected.add("vqa-" + i);
    }
    assertEquals(expected, main, "each main example once, in order");
    // the smallest size holding them all: one index fewer would drop a main example
    assertEquals(mainSize, mix.size() - extras);
    assertTrue(!mix.isExtra(mix.size() - 1), "the last index is a main example");
    assertEquals(share, (double) extras / mix.size(), 1.0 / mix.size() + 1e-9);
  }

  @Test
  void extrasCycleAndAreSpreadEvenly() {
    Mixture mix = new Mixture(new Named("vqa", 100), new Named("cap", 4), 0.5);
    Set<String> extras = new HashSet<>();
    for (int i = 0; i < mix.size(); i++) {
      if (mix.isExtra(i)) {
        extras.add(mix.get(i).id());
      }
      if (i > 0) {
        assertTrue(mix.isExtra(i) != mix.isExtra(i - 1), "share 0.5 alternates");
      }
    }
    assertEquals(Set.of("cap-0", "cap-1", "cap-2", "cap-3"), extras);
  }

  @Test
  void badArgumentsAreRejected() {
    Named a = new Named("a", 3);
    assertThrows(IllegalArgumentException.class, () -> new Mixture(a, a, 0));
    assertThrows(IllegalArgumentException.class, () -> new Mixture(a, a, 1));
    assertThrows(IllegalArgumentException.class, () -> new Mixture(a, new Named("b", 0), 0.5));
    assertThrows(IndexOutOfBoundsException.class, () -> new Mixture(a, a, 0.5).get(99));
  }
}
