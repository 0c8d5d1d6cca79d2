package dev.glimpse.data.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.data.Example;
import dev.glimpse.util.GlimpseException;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class WebDatasetTest {
  @TempDir Path dir;
  final List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());

  /** Sample i: an 8x6 PNG whose red level is i (mod 256) and the caption "caption i". */
  private static Map<String, byte[]> sample(int i) {
    return Map.of(
        "png", TestFiles.png(8, 6, new Color(i % 256, 40, 80)),
        "txt", ("caption " + i).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code shards} shards of {@code perShard} samples with keys s{shard}_{i}, numbered 0, 1, 2... */
  private List<Path> writeShards(String prefix, int shards, int perShard) {
    List<Path> files = new ArrayList<>();
    int n = 0;
    for (int s = 0; s < shards; s++) {
      Path file = dir.resolve(String.format("%s-%06d.tar", prefix, s));
      try (TarShardWriter writer = new TarShardWriter(file)) {
        for (int i = 0; i < perShard; i++) {
          writer.write(String.format("s%d_%03d", s, i), sample(n++));
        }
      }
      files.add(file);
    }
    return files;
  }

  private WebDataset.Builder builder(List<Path> shards) {
    return WebDataset.builder().shards(shards).decodeThreads(1).skipLog(new SkipLog("test", warnings::add));
  }

  private static List<String> ids(WebDataset data, int epoch) {
    List<String> ids = new ArrayList<>();
    try (WebDataset.Epoch examples = data.epoch(epoch)) {
      examples.forEachRemaining(e -> ids.add(e.id()));
    }
    return ids;
  }

  private static Set<String> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("glimpse-wds-"))
        .collect(Collectors.toSet());
  }

  @Test
  void readsEverySampleInShardOrderWithImagesAndCaptions() {
    List<Path> shards = writeShards("train", 3, 10);
    try (WebDataset data = builder(shards).build()) {
      List<Example> examples = new ArrayList<>();
      data.epoch(0).forEachRemaining(examples::add);
      assertEquals(30, examples.size());
      for (int n = 0; n < 30; n++) {
        Example e = examples.get(n);
        assertEquals(String.format("s%d_%03d", n / 10, n % 10), e.id());
        assertEquals(List.of("caption " + n), e.targets());
        assertEquals(n, (e.image().getRGB(1, 1) >> 16) & 0xff);
        assertEquals(8, e.image().getWidth(), "no resize asked: original size");
        assertEquals(String.format("train-%06d.tar", n / 10), e.metadata().get("shard"));
      }
      WebDataset.Stats stats = data.stats();
      assertEquals(3, stats.shardsRead());
      assertEquals(30, stats.samplesRead());
      assertEquals(30, stats.examplesDelivered());
      assertEquals(0, stats.samplesSkipped());
      long bytes = 0;
      for (Path shard : shards) {
        bytes += shard.toFile().length();
      }
      assertEquals(bytes, stats.bytesRead());
    }
  }

  @Test
  void sameSeedGivesTheSameOrderAndTheBufferReallyShuffles() {
    List<Path> shards = writeShards("train", 4, 15);
    List<String> sequential = ids(builder(shards).build(), 0);
    List<String> first = ids(builder(shards).shuffleShards(true).shuffleBuffer(20).seed(7).build(), 0);
    List<String> again = ids(builder(shards).shuffleShards(true).shuffleBuffer(20).seed(7).build(), 0);
    List<String> otherSeed = ids(builder(shards).shuffleShards(true).shuffleBuffer(20).seed(8).build(), 0);
    assertEquals(first, again);
    assertNotEquals(first, otherSeed);
    assertNotEquals(sequential, first);
    assertEquals(new TreeSet<>(sequential), new TreeSet<>(first), "a permutation: nothing lost or repeated");
    assertEquals(60, first.size());

    // Within one shard, the buffer alone moves samples: count those not in their original place.
    List<String> buffered = ids(builder(shards.subList(0, 1)).shuffleBuffer(10).seed(3).build(), 0);
    List<String> inOrder = ids(builder(shards.subList(0, 1)).build(), 0);
    long moved = 0;
    for (int i = 0; i < inOrder.size(); i++) {
      moved += inOrder.get(i).equals(buffered.get(i)) ? 0 : 1;
    }
    assertTrue(moved > 10, "moved " + moved + " of 15");
  }

  @Test
  void successiveEpochsReshuffle() {
    List<Path> shards = writeShards("train", 3, 8);
    try (WebDataset data = builder(shards).shuffleShards(true).shuffleBuffer(10).seed(1).build()) {
      List<String> epoch0 = new ArrayList<>();
      data.iterator().forEachRemaining(e -> epoch0.add(e.id()));
      List<String> epoch1 = new ArrayList<>();
      data.iterator().forEachRemaining(e -> epoch1.add(e.id()));
      assertNotEquals(epoch0, epoch1);
      assertEquals(epoch0, ids(data, 0), "an epoch can be replayed by number (resume)");
    }
  }

  @Test
  void twoRanksReadDisjointShardsCoveringEverySampleOnce() {
    List<Path> shards = writeShards("train", 5, 6);
    for (int epoch = 0; epoch < 3; epoch++) {
      List<String> all = new ArrayList<>();
      Set<Path> shardsSeen = new HashSet<>();
      for (int rank = 0; rank < 2; rank++) {
        WebDataset data = builder(shards).shuffleShards(true).shuffleBuffer(8).seed(11).rank(rank, 2).build();
        for (Path shard : data.shardsFor(epoch)) {
          assertTrue(shardsSeen.add(shard), "shard read by two ranks: " + shard);
        }
        all.addAll(ids(data, epoch));
      }
      assertEquals(30, all.size());
      assertEquals(30, new HashSet<>(all).size(), "each sample exactly once in epoch " + epoch);
    }
    assertThrows(GlimpseException.class, () -> builder(shards).rank(2, 2));
    GlimpseException e = assertThrows(GlimpseException.class, () -> builder(shards.subList(0, 2)).rank(0, 3).build());
    assertTrue(e.getMessage().contains("2 shards cannot be split across 3 ranks"), e.getMessage());
  }

  @Test
  void multiThreadedOutputEqualsSingleThreaded() {
    List<Path> shards = writeShards("train", 3, 20);
    List<String> single = ids(builder(shards).shuffleShards(true).shuffleBuffer(16).seed(5).build(), 0);
    List<String> four =
        ids(builder(shards).shuffleShards(true).shuffleBuffer(16).seed(5).decodeThreads(4).prefetch(3).build(), 0);
    assertEquals(single, four, "ordered mode: same order whatever the thread count");
    List<String> unordered =
        ids(builder(shards).shuffleShards(true).shuffleBuffer(16).seed(5).decodeThreads(4).ordered(false).build(), 0);
    assertEquals(new TreeSet<>(single), new TreeSet<>(unordered));
    assertEquals(60, unordered.size());
  }

  @Test
  void truncatedShardIsSkippedWithACountAndReadingGoesOn() throws Exception {
    List<Path> shards = writeShards("train", 3, 10);
    byte[] middle = Files.readAllBytes(shards.get(1));
    Files.write(shards.get(1), Arrays.copyOf(middle, middle.length / 2 + 100));
    try (WebDataset data = builder(shards).decodeThreads(2).build()) {
      List<String> ids = ids(data, 0);
      assertTrue(ids.containsAll(ids(builder(List.of(shards.get(0), shards.get(2))).build(), 0)));
      long fromDamaged = ids.stream().filter(id -> id.startsWith("s1_")).count();
      assertTrue(fromDamaged >= 3 && fromDamaged < 10, "samples before the damage are kept: " + fromDamaged);
      assertEquals(1, data.stats().shardsDamaged());
      assertEquals(1, data.stats().samplesSkipped(), "the sample cut in half");
      assertTrue(warnings.stream().anyMatch(w -> w.contains("train-000001.tar") && w.contains("damaged")),
          warnings.toString());
    }
  }

  @Test
  void corruptTarHeaderIsSkippedWithACountAndReadingGoesOn() throws Exception {
    List<Path> shards = writeShards("train", 2, 10);
    byte[] bytes = Files.readAllBytes(shards.get(0));
    int header = indexOf(bytes, "s0_004.png".getBytes(StandardCharsets.US_ASCII));
    assertEquals(0, header % 512, "entry names start tar headers");
    Arrays.fill(bytes, header + 100, header + 160, (byte) 'x'); // mode, ids, size: garbage
    Files.write(shards.get(0), bytes);
    try (WebDataset data = builder(shards).build()) {
      List<String> ids = ids(data, 0);
      assertEquals(List.of("s0_000", "s0_001", "s0_002"), ids.subList(0, 3));
      assertTrue(ids.containsAll(ids(builder(shards.subList(1, 2)).build(), 0)), "the next shard is read");
      assertEquals(1, data.stats().shardsDamaged());
      assertFalse(ids.contains("s0_005"));
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void badSamplesInsideAShardAreSkippedWithCountedWarnings() {
    Path shard = dir.resolve("mixed.tar");
    try (TarShardWriter writer = new TarShardWriter(shard)) {
      writer.write("good1", sample(1));
      writer.write("corrupt", Map.of("png", TestFiles.corruptPng(), "txt", "x".getBytes(StandardCharsets.UTF_8)));
      writer.write("noimage", Map.of("txt", "only text".getBytes(StandardCharsets.UTF_8)));
      writer.write("notext", Map.of("png", TestFiles.png(4, 4, Color.RED)));
      writer.write("webp", Map.of("webp", new byte[] {1, 2}, "txt", "x".getBytes(StandardCharsets.UTF_8)));
      writer.write("badutf8", Map.of("png", TestFiles.png(4, 4, Color.RED), "txt", new byte[] {(byte) 0xff}));
      writer.write("good2", sample(2));
    }
    try (WebDataset data = builder(List.of(shard)).decodeThreads(2).build()) {
      assertEquals(List.of("good1", "good2"), ids(data, 0));
      assertEquals(5, data.skippedCount());
      assertEquals(7, data.stats().samplesRead());
      String all = String.join("\n", warnings);
      assertTrue(all.contains("mixed.tar:corrupt.png"), all);
      assertTrue(all.contains("sample noimage has no image"), all);
      assertTrue(all.contains("sample notext has no text"), all);
      assertTrue(all.contains("webp image"), all);
      assertTrue(all.contains("badutf8.txt is not valid UTF-8"), all);
    }
  }

  @Test
  void jsonAndClassPartsBecomeTextAndExtras() {
    Path shard = dir.resolve("parts.tar");
    try (TarShardWriter writer = new TarShardWriter(shard)) {
      writer.write(
          "vqa",
          Map.of(
              "jpg", TestFiles.jpeg(8, 8, Color.BLUE),
              "json", "{\"question\": \"what colour?\", \"answers\": [\"blue\"], \"width\": 8}".getBytes(StandardCharsets.UTF_8)));
      writer.write(
          "cls",
          Map.of("png", TestFiles.png(4, 4, Color.RED), "cls", "7\n".getBytes(StandardCharsets.UTF_8)));
      writer.write(
          "both",
          Map.of(
              "png", TestFiles.png(4, 4, Color.RED),
              "txt", "from txt".getBytes(StandardCharsets.UTF_8),
              "json", "{\"url\": \"http://x\", \"similarity\": 0.31}".getBytes(StandardCharsets.UTF_8)));
      writer.write(
          "clip",
          Map.of(
              "000.png", TestFiles.png(4, 4, Color.RED),
              "001.png", TestFiles.png(4, 4, Color.GREEN),
              "txt", "a clip".getBytes(StandardCharsets.UTF_8)));
    }
    try (WebDataset data = builder(List.of(shard)).build()) {
      Map<String, Example> byId = new TreeMap<>();
      data.epoch(0).forEachRemaining(e -> byId.put(e.id(), e));
      Example vqa = byId.get("vqa");
      assertEquals("what colour?", vqa.prompt());
      assertEquals(List.of("blue"), vqa.targets());
      assertEquals(8L, vqa.metadata().get("width"));
      assertEquals(List.of("7"), byId.get("cls").targets());
      assertEquals(7, byId.get("cls").metadata().get("label_index"));
      Example both = byId.get("both");
      assertEquals(List.of("from txt"), both.targets());
      assertEquals("http://x", both.metadata().get("url"));
      Example clip = byId.get("clip");
      assertEquals(2, clip.frames().size());
      assertEquals(0x00ff00, clip.frames().get(1).getRGB(0, 0) & 0xffffff);
    }
  }

  @Test
  void gzippedShardsWork() {
    Path gz = dir.resolve("train-000000.tar.gz");
    try (TarShardWriter writer = new TarShardWriter(gz)) {
      for (int i = 0; i < 5; i++) {
        writer.write("k" + i, sample(i));
      }
    }
    try (WebDataset data = WebDataset.builder().shards(dir.resolve("train-{000000..000000}.tar.gz").toString())
        .decodeThreads(1).skipLog(new SkipLog("gz", warnings::add)).build()) {
      assertEquals(List.of("k0", "k1", "k2", "k3", "k4"), ids(data, 0));
      assertEquals(gz.toFile().length(), data.stats().bytesRead());
    }
    // A cut-off gzip stream is a damaged shard like any other.
    Path cut = dir.resolve("cut.tar.gz");
    try {
      byte[] bytes = Files.readAllBytes(gz);
      Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    try (WebDataset data = builder(List.of(cut, gz)).build()) {
      List<String> ids = ids(data, 0);
      assertTrue(ids.size() >= 5 && ids.size() < 10, ids.toString());
      assertEquals(1, data.stats().shardsDamaged());
    }
  }

  @Test
  void resizingHappensOnTheDecodingThreads() {
    List<Path> shards = writeShards("train", 1, 6);
    try (WebDataset data = builder(shards).decodeThreads(2).resize(new Resize(5, 3, Resize.Fit.PAD)).build()) {
      try (Stream<Example> examples = data.stream(0)) {
        examples.forEach(
            e -> {
              assertEquals(5, e.image().getWidth());
              assertEquals(3, e.image().getHeight());
            });
      }
    }
  }

  @Test
  void closeStopsTheThreads() throws Exception {
    List<Path> shards = writeShards("train", 4, 25);
    WebDataset data = builder(shards).decodeThreads(3).prefetch(2).build();
    WebDataset.Epoch epoch = data.epoch(0);
    assertTrue(epoch.hasNext());
    epoch.next();
    assertFalse(liveThreads().isEmpty(), "reader and decoders are blocked on full queues");
    epoch.close();
    assertEquals(Set.of(), liveThreads());
    assertFalse(epoch.hasNext());

    // An abandoned iterator is stopped by closing the dataset; a finished epoch stops by itself.
    Stream<Example> abandoned = data.stream(1);
    abandoned.iterator().next();
    data.iterator().next();
    data.close();
    assertEquals(Set.of(), liveThreads());
    ids(data, 2);
    assertEquals(Set.of(), liveThreads());
  }

  @Test
  void noShardsIsAnError() {
    assertThrows(GlimpseException.class, () -> WebDataset.builder().build());
    GlimpseException e =
        assertThrows(GlimpseException.class, () -> WebDataset.builder().shards(dir.resolve("x-{0..1}.tar").toString()).build());
    assertTrue(e.getMessage().contains("x-0.tar"), e.getMessage());
  }
}
