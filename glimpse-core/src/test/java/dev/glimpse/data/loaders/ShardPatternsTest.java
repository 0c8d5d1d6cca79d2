package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.util.GlimpseException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardPatternsTest {
  @TempDir Path dir;

  @Test
  void bracesExpandRangesWithPaddingAndLists() {
    assertEquals(
        List.of("s-000008.tar", "s-000009.tar", "s-000010.tar"), ShardPatterns.braces("s-{000008..000010}.tar"));
    assertEquals(List.of("a-8", "a-9", "a-10"), ShardPatterns.braces("a-{8..10}"));
    assertEquals(
        List.of("train-0.tar", "train-1.tar", "extra-0.tar", "extra-1.tar"),
        ShardPatterns.braces("{train,extra}-{0..1}.tar"));
    assertThrows(GlimpseException.class, () -> ShardPatterns.braces("s-{3..1}.tar"));
    assertThrows(GlimpseException.class, () -> ShardPatterns.braces("s-{3..1.tar"));
    assertThrows(GlimpseException.class, () -> ShardPatterns.braces("s-{x}.tar"));
  }

  @Test
  void filesAreCheckedAndGlobsMatchSorted() {
    for (String name : List.of("train-002.tar", "train-000.tar", "train-001.tar.gz", "other.tar")) {
      TestFiles.write(dir.resolve(name), new byte[] {0});
    }
    assertEquals(
        List.of(dir.resolve("train-000.tar"), dir.resolve("train-002.tar")),
        ShardPatterns.expand(dir.resolve("train-{000,002}.tar").toString()));
    assertEquals(
        List.of(dir.resolve("train-000.tar"), dir.resolve("train-001.tar.gz"), dir.resolve("train-002.tar")),
        ShardPatterns.expand(dir.resolve("train-*").toString()));
    GlimpseException e =
        assertThrows(GlimpseException.class, () -> ShardPatterns.expand(dir.resolve("train-{000..003}.tar").toString()));
    assertTrue(e.getMessage().contains("train-001.tar"), e.getMessage());
    e = assertThrows(GlimpseException.class, () -> ShardPatterns.expand(dir.resolve("val-*.tar").toString()));
    assertTrue(e.getMessage().contains("no shard matches"), e.getMessage());
    assertEquals(
        3, ShardPatterns.expand(List.of(dir.resolve("train-*").toString(), dir.resolve("train-000.tar").toString())).size(),
        "duplicates removed");
  }
}
