package dev.glimpse.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lucene HNSW index: exact search is brute force, HNSW finds nearly the same top 10, failures leave nothing. */
class VectorIndexTest {
  static float[] unit(SplittableRandom random, int dim) {
    float[] v = new float[dim];
    double norm = 0;
    for (int k = 0; k < dim; k++) {
      v[k] = (float) random.nextGaussian();
      norm += v[k] * v[k];
    }
    for (int k = 0; k < dim; k++) {
      v[k] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  @Test
  void hnswFindsTheExactTopTenAndScoresAreDotProducts(@TempDir Path dir) {
    int n = 3000;
    int dim = 32;
    SplittableRandom random = new SplittableRandom(4);
    float[][] vectors = new float[n][];
    Path index = dir.resolve("idx");
    try (VectorIndex.Writer w = VectorIndex.create(index, VectorIndex.Meta.of(dim, "test", "test", "none"))) {
      for (int i = 0; i < n; i++) {
        vectors[i] = unit(random, dim);
        w.add("v" + i, vectors[i]);
      }
      assertEquals(n, w.publish());
    }
    double recall = 0;
    try (VectorIndex idx = VectorIndex.open(index)) {
      assertEquals(n, idx.size());
      assertEquals(n, idx.meta().count());
      for (int q = 0; q < 50; q++) {
        float[] query = unit(random, dim);
        List<VectorIndex.Hit> exact = idx.exact(query, 10);
        // exact: the brute-force order over the original vectors
        float best = Float.NEGATIVE_INFINITY;
        String bestPath = null;
        for (int i = 0; i < n; i++) {
          float s = 0;
          for (int k = 0; k < dim; k++) {
            s += vectors[i][k] * query[k];
          }
          if (s > best) {
            best = s;
            bestPath = "v" + i;
          }
        }
        assertEquals(bestPath, exact.get(0).path());
        assertEquals(best, exact.get(0).score(), 1e-5);
        for (int i = 1; i < exact.size(); i++) {
          assertTrue(exact.get(i - 1).score() >= exact.get(i).score());
        }
        Set<String> truth = new HashSet<>();
        exact.forEach(h -> truth.add(h.path()));
        List<VectorIndex.Hit> hnsw = idx.search(query, 10, 100);
        assertEquals(10, hnsw.size());
        int found = 0;
        for (VectorIndex.Hit h : hnsw) {
          found += truth.contains(h.path()) ? 1 : 0;
          int i = Integer.parseInt(h.path().substring(1));
          float s = 0;
          for (int k = 0; k < dim; k++) {
            s += vectors[i][k] * query[k];
          }
          assertEquals(s, h.score(), 1e-4, "HNSW scores are dot products");
        }
        recall += found / 10.0;
      }
      assertThrows(GlimpseException.class, () -> idx.search(new float[dim + 1], 10, 100));
    }
    assertTrue(recall / 50 >= 0.95, "recall@10 " + recall / 50);
  }

  @Test
  void forceMergeLeavesOneSegment(@TempDir Path dir) {
    // a 1 MB buffer flushes several segments on the way; the merge makes them one graph with every vector
    int n = 4000;
    int dim = 48;
    SplittableRandom random = new SplittableRandom(6);
    // a small graph (M 4, beam 10): the test is about segments, not recall
    VectorIndex.Meta meta = new VectorIndex.Meta(VectorIndex.FORMAT, dim, 0, "test", "test", "none", 4, 10);
    for (boolean merge : new boolean[] {false, true}) {
      Path index = dir.resolve("idx-" + merge);
      try (VectorIndex.Writer w = VectorIndex.create(index, meta, 1)) {
        for (int i = 0; i < n; i++) {
          w.add("v" + i, unit(random, dim));
        }
        if (merge) {
          w.forceMerge();
        }
        w.publish();
      }
      try (VectorIndex idx = VectorIndex.open(index)) {
        assertEquals(n, idx.size());
        if (merge) {
          assertEquals(1, idx.segments());
        } else {
          assertTrue(idx.segments() > 1, "the small buffer flushed several segments: " + idx.segments());
        }
      }
    }
  }

  @Test
  void aBuildThatFailsLeavesNoIndex(@TempDir Path dir) throws IOException {
    Path index = dir.resolve("idx");
    try (VectorIndex.Writer w = VectorIndex.create(index, VectorIndex.Meta.of(4, "test", "test", "none"))) {
      w.add("a", new float[] {1, 0, 0, 0});
      // no publish: an error on the way out
    }
    assertFalse(Files.exists(index));
    try (Stream<Path> left = Files.list(dir)) {
      assertEquals(0, left.count(), "no staged folder remains");
    }
    GlimpseException e = assertThrows(GlimpseException.class, () -> VectorIndex.open(index));
    assertTrue(e.getMessage().contains("not a Glimpse index"), e.getMessage());
  }
}
