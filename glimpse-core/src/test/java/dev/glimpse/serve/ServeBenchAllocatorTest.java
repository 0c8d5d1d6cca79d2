package dev.glimpse.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which C allocator a process runs on, read from its memory map as Linux writes it. */
class ServeBenchAllocatorTest {
  private static final String LIBC =
      "7f3a1c000000-7f3a1c028000 r--p 00000000 fe:01 1835 /usr/lib/x86_64-linux-gnu/libc.so.6";
  private static final String TORCH =
      "7f3a10000000-7f3a18000000 r-xp 00000000 fe:01 2001 /opt/djl/pytorch/2.5.1-cpu-linux-x86_64/libtorch_cpu.so";

  @Test
  void glibcWhenNoOtherAllocatorIsMapped() {
    assertEquals("glibc", ServeBench.allocator(List.of(LIBC, TORCH, "7ffd5a1e0000-7ffd5a201000 rw-p 00000000 00:00 0 [stack]")));
  }

  @Test
  void aPreloadedAllocatorIsNamed() {
    assertEquals("jemalloc", ServeBench.allocator(List.of(
        "7f3a1d000000-7f3a1d00c000 r--p 00000000 fe:01 1901 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2", LIBC)));
    assertEquals("tcmalloc", ServeBench.allocator(List.of(LIBC,
        "7f3a1d000000-7f3a1d00c000 r-xp 00000000 fe:01 1902 /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4.5.10")));
  }

  @Test
  void aFolderNamedLikeAnAllocatorIsNotOne() {
    assertEquals("glibc", ServeBench.allocator(List.of(
        "7f3a10000000-7f3a18000000 r-xp 00000000 fe:01 2001 /opt/jemalloc-build/lib/libtorch_cpu.so", LIBC)));
  }

  @Test
  void thisProcessHasAnAnswer() {
    String here = ServeBench.allocator();
    assertEquals(true, List.of("glibc", "jemalloc", "tcmalloc", "unknown").contains(here), here);
  }
}
