package dev.glimpse.bench;

import com.google.gson.JsonObject;
import dev.glimpse.index.VectorIndex;
import dev.glimpse.util.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The vector index at scale: unit vectors ({@link IndexVectors}: uniformly random, the hardest case for a graph
 * index, or a Gaussian mixture shaped like embeddings) written to a Lucene HNSW index ({@link VectorIndex}), then
 * queried with other vectors from the same source;
 * build time, HNSW queries per second, exact (brute force) queries per second, and HNSW recall@10
 * against the exact top 10 (the mean share found, and the share of queries whose whole top 10 was
 * found). Queries run one at a time on one thread.
 */
public final class IndexBench {
  private IndexBench() {}

  /** HNSW search at one number of candidates: queries per second and recall against exact search. */
  public record Search(int candidates, double qps, double recallAt10, double exactTop10Fraction) {
    public JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("hnsw_qps", qps);
      o.addProperty("recall_at_10", recallAt10);
      o.addProperty("exact_top10_fraction", exactTop10Fraction);
      return o;
    }
  }

  /** The figures of one size: build time, exact search, HNSW search at each number of candidates. */
  public record Result(int size, double buildSeconds, double exactQps, List<Search> searches) {
    /** The headline figures (the first number of candidates) and each number of candidates under "by_candidates". */
    public JsonObject toJson() {
      JsonObject o = new JsonObject();
      o.addProperty("build_s", buildSeconds);
      Search first = searches.get(0);
      o.addProperty("hnsw_qps", first.qps());
      o.addProperty("exact_qps", exactQps);
      o.addProperty("recall_at_10", first.recallAt10());
      o.addProperty("exact_top10_fraction", first.exactTop10Fraction());
      o.addProperty("candidates", first.candidates());
      JsonObject by = new JsonObject();
      for (Search s : searches) {
        by.add(Integer.toString(s.candidates()), s.toJson());
      }
      o.add("by_candidates", by);
      return o;
    }
  }

  /**
   * @param vectors where the indexed vectors and the queries come from (one stream: the vectors, then the queries)
   * @param work a scratch folder (the index is written under it and deleted)
   * @param candidates HNSW candidates per query (Lucene's ef), one search pass each
   */
  public static Result run(int size, IndexVectors vectors, int queries, List<Integer> candidates, int maxConn,
      int beamWidth, long seed, Path work, PrintStream info) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    int dim = vectors.dim();
    float[][] rows = new float[size][];
    for (int i = 0; i < size; i++) {
      rows[i] = vectors.draw(random, 1); // one at a time: no second copy of a million vectors
    }
    Path dir = work.resolve("index-" + size);
    long start = System.nanoTime();
    VectorIndex.Meta meta = new VectorIndex.Meta(VectorIndex.FORMAT, dim, 0, vectors.name(), vectors.name(), "none",
        maxConn, beamWidth);
    // a buffer that holds every vector and its graph: one segment, one graph, as an index built once
    int ramMb = (int) Math.min(1900, 64 + (long) size * dim * 4 * 3 / (1 << 20));
    try (VectorIndex.Writer writer = VectorIndex.create(dir, meta, ramMb)) {
      for (int i = 0; i < size; i++) {
        writer.add(Integer.toString(i), rows[i]);
        if (info != null && (i + 1) % 100_000 == 0) {
          info.printf("  %,d vectors added (%.0f s)%n", i + 1, (System.nanoTime() - start) / 1e9);
        }
      }
      writer.forceMerge();
      writer.publish();
    }
    double build = (System.nanoTime() - start) / 1e9;
    float[][] query = new float[queries][];
    for (int q = 0; q < queries; q++) {
      query[q] = vectors.draw(random, 1);
    }
    int[][] truth = new int[queries][];
    for (int q = 0; q < Math.min(queries, 20); q++) {
      VectorIndex.Exact.topK(rows, query[q], 10); // warm-up: JIT, as the HNSW passes get
    }
    long exactStart = System.nanoTime();
    for (int q = 0; q < queries; q++) {
      truth[q] = VectorIndex.Exact.topK(rows, query[q], 10);
    }
    double exactSeconds = (System.nanoTime() - exactStart) / 1e9;
    List<Search> searches = new java.util.ArrayList<>();
    try (VectorIndex index = VectorIndex.open(dir)) {
      for (int ef : candidates) {
        for (int q = 0; q < Math.min(queries, 20); q++) {
          index.search(query[q], 10, ef); // warm-up: graph pages, JIT
        }
        long hnswStart = System.nanoTime();
        List<List<VectorIndex.Hit>> results = new java.util.ArrayList<>();
        for (int q = 0; q < queries; q++) {
          results.add(index.search(query[q], 10, ef));
        }
        double hnswSeconds = (System.nanoTime() - hnswStart) / 1e9;
        double recall = 0;
        int whole = 0;
        for (int q = 0; q < queries; q++) {
          Set<String> expected = new HashSet<>();
          for (int i : truth[q]) {
            expected.add(Integer.toString(i));
          }
          int found = 0;
          for (VectorIndex.Hit h : results.get(q)) {
            found += expected.contains(h.path()) ? 1 : 0;
          }
          recall += found / 10.0;
          whole += found == 10 ? 1 : 0;
        }
        searches.add(new Search(ef, queries / hnswSeconds, recall / queries, (double) whole / queries));
      }
    } finally {
      AtomicFiles.deleteRecursively(dir);
    }
    return new Result(size, build, queries / exactSeconds, searches);
  }

  /** A scratch folder for the indexes. */
  public static Path scratch() throws IOException {
    return Files.createTempDirectory("glimpse-bench-index");
  }
}
