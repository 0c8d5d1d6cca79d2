package dev.glimpse.cli;

import com.google.gson.JsonObject;
import dev.glimpse.bench.IndexBench;
import dev.glimpse.bench.IndexVectors;
import dev.glimpse.index.VectorIndex;
import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse bench index}: the HNSW vector index against exact search at 10k, 100k and 1M vectors. */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = {"The vector index (Lucene HNSW) at scale: unit vectors of the embedding size (uniformly random, the",
        "worst case, or --vectors clustered, shaped like a trained model's embeddings); per size the build time, HNSW",
        "and exact (brute-force) queries per second on one thread, and HNSW recall@10 against the exact top 10.",
        "--json: {\"sizes\": {\"10000\": {\"build_s\", \"hnsw_qps\", \"exact_qps\", \"recall_at_10\", ...}, ...}}.",
        "1M vectors need about 2 GB of heap (GLIMPSE_JAVA_OPTS=-Xmx3g)."})
public final class BenchIndexCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--sizes", split = ",", description = "Index sizes (default 10000,100000,1000000).")
  List<Integer> sizes = List.of(10_000, 100_000, 1_000_000);

  @Option(names = "--dim", description = "Vector width (default 128, the quick recipes' embedding size).")
  int dim = 128;

  @Option(names = "--queries", description = "Queries per size (default 200).")
  int queries = 200;

  @Option(names = "--candidates", split = ",",
      description = "HNSW candidates per query (Lucene's ef), one pass each; the first gives the headline figures (default 100,200,400).")
  List<Integer> candidates = List.of(100, 200, 400);

  @Option(names = "--m", description = "HNSW neighbours per node (default " + VectorIndex.DEFAULT_MAX_CONN + ").")
  int maxConn = VectorIndex.DEFAULT_MAX_CONN;

  @Option(names = "--beam", description = "HNSW build candidates (default " + VectorIndex.DEFAULT_BEAM_WIDTH + ").")
  int beamWidth = VectorIndex.DEFAULT_BEAM_WIDTH;

  @Option(names = "--vectors", paramLabel = "random|clustered",
      description = "The vectors: random (uniform on the sphere, the worst case; default) or clustered (a Gaussian "
          + "mixture shaped like a trained model's embeddings; --clusters, --spread, --decay).")
  String vectors = "random";

  @Option(names = "--clusters", description = "With --vectors clustered: mixture components (default "
      + CLUSTERS + ").")
  int clusters = CLUSTERS;

  @Option(names = "--spread", description = "With --vectors clustered: noise length against a centre's (default "
      + SPREAD + ").")
  double spread = SPREAD;

  @Option(names = "--decay", description = "With --vectors clustered: exponent of the power-law variance spectrum "
      + "(default " + DECAY + "; 0 is isotropic).")
  double decay = DECAY;

  static final int CLUSTERS = 100;
  static final double SPREAD = 0.35;
  static final double DECAY = 1.5;

  @Override
  public Integer call() throws Exception {
    if (dim <= 0 || queries <= 0 || candidates.stream().anyMatch(c -> c < 10) || sizes.stream().anyMatch(s -> s < 10)) {
      throw new GlimpseException("--dim and --queries must be > 0, --candidates >= 10, sizes >= 10");
    }
    if (maxConn <= 0 || beamWidth <= 0) {
      throw new GlimpseException("--m and --beam must be > 0");
    }
    IndexVectors source = switch (vectors) {
      case "random" -> IndexVectors.random(dim);
      case "clustered" -> {
        if (clusters <= 0 || !(spread >= 0) || !(decay >= 0)) {
          throw new GlimpseException("--clusters must be > 0, --spread and --decay >= 0");
        }
        yield IndexVectors.clustered(dim, clusters, spread, decay, 23);
      }
      default -> throw new GlimpseException("--vectors must be random or clustered, not '" + vectors + "'");
    };
    Path work = IndexBench.scratch();
    JsonObject bySize = new JsonObject();
    try {
      for (int size : sizes) {
        common.info().printf("%,d %s vectors of %d dimensions...%n", size, vectors, dim);
        IndexBench.Result r = IndexBench.run(size, source, queries, candidates, maxConn, beamWidth, 17, work,
            common.info());
        common.info().printf("  build %.1f s, exact search %.1f queries/s%n", r.buildSeconds(), r.exactQps());
        for (IndexBench.Search s : r.searches()) {
          common.info().printf("  HNSW, %d candidates: %.0f queries/s (%.1fx exact), recall@10 %.3f, whole top 10 on "
              + "%.1f%% of queries%n", s.candidates(), s.qps(), s.qps() / r.exactQps(), s.recallAt10(),
              100 * s.exactTop10Fraction());
        }
        bySize.add(Integer.toString(size), r.toJson());
      }
    } finally {
      AtomicFiles.deleteRecursively(work);
    }
    JsonObject result = new JsonObject();
    result.addProperty("dim", dim);
    result.addProperty("queries", queries);
    result.addProperty("candidates", candidates.get(0));
    result.addProperty("m", maxConn);
    result.addProperty("beam", beamWidth);
    result.addProperty("vectors", vectors);
    if (source instanceof IndexVectors.Clustered) {
      result.addProperty("clusters", clusters);
      result.addProperty("spread", spread);
      result.addProperty("decay", decay);
    }
    result.add("sizes", bySize);
    common.printJson(result);
    return 0;
  }
}
