package dev.glimpse.index;

import dev.glimpse.util.AtomicFiles;
import dev.glimpse.util.GlimpseException;
import dev.glimpse.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * An embedded vector index: unit-length embeddings with the path (or id) of what they embed, in a
 * Lucene index whose vectors are searched through an HNSW graph (Lucene's {@code
 * Lucene99HnswVectorsFormat}), with exact brute-force search beside it as the check. A folder holds
 * the Lucene files and {@value #META} ({@link Meta}: the embedding width, the model that made the
 * vectors and its fingerprint), so that a query embedded by another model is refused.
 *
 * <pre>{@code
 * try (VectorIndex.Writer w = VectorIndex.create(dir, meta)) { w.add("cat.jpg", vector); ...; w.publish(); }
 * try (VectorIndex index = VectorIndex.open(dir)) { index.search(query, 10, 100); index.exact(query, 10); }
 * }</pre>
 */
public final class VectorIndex implements AutoCloseable {
  /** The metadata file in an index folder. */
  public static final String META = "index.json";
  static final String VECTOR = "vector";
  static final String PATH = "path";
  public static final String FORMAT = "glimpse-vector-index";

  /**
   * What an index holds and which model made it.
   *
   * @param format {@value #FORMAT}
   * @param dim the embedding width
   * @param count vectors in the index
   * @param model the checkpoint that embedded them (as given when the index was built)
   * @param modelType its design ("clip", "mmgem")
   * @param fingerprint a hash of the model's config and weights ({@code ModelFingerprint})
   * @param maxConn HNSW neighbours per node (Lucene's M)
   * @param beamWidth HNSW candidates while building (Lucene's efConstruction)
   */
  public record Meta(String format, int dim, int count, String model, String modelType, String fingerprint,
      int maxConn, int beamWidth) {
    public static Meta of(int dim, String model, String modelType, String fingerprint) {
      return new Meta(FORMAT, dim, 0, model, modelType, fingerprint, DEFAULT_MAX_CONN, DEFAULT_BEAM_WIDTH);
    }
  }

  public static final int DEFAULT_MAX_CONN = 16;
  public static final int DEFAULT_BEAM_WIDTH = 100;

  /** One search result: the stored path, the dot product with the query, the Lucene document. */
  public record Hit(String path, float score, int doc) {}

  private final Path dir;
  private final Meta meta;
  private final FSDirectory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private float[][] vectors; // by document, read on the first exact search
  private int[] docs;

  private VectorIndex(Path dir, Meta meta, FSDirectory directory, DirectoryReader reader) {
    this.dir = dir;
    this.meta = meta;
    this.directory = directory;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
  }

  /** Starts a new index in {@code dir} (written beside it and moved into place on {@link Writer#close}). */
  public static Writer create(Path dir, Meta meta) {
    return new Writer(dir, meta, 256);
  }

  /** A new index with a RAM buffer of {@code ramBufferMb} (a buffer that holds every vector builds one graph). */
  public static Writer create(Path dir, Meta meta, int ramBufferMb) {
    return new Writer(dir, meta, ramBufferMb);
  }

  /** Opens an index folder; a folder that is not one is an error naming it. */
  public static VectorIndex open(Path dir) {
    Path metaFile = dir.resolve(META);
    if (!Files.isRegularFile(metaFile)) {
      throw new GlimpseException(dir + " is not a Glimpse index (no " + META + "; build one with 'glimpse index build')");
    }
    Meta meta = Json.read(metaFile, Meta.class);
    if (meta == null || !FORMAT.equals(meta.format()) || meta.dim() <= 0) {
      throw new GlimpseException(metaFile + " is not a Glimpse index description");
    }
    try {
      FSDirectory directory = FSDirectory.open(dir);
      return new VectorIndex(dir, meta, directory, DirectoryReader.open(directory));
    } catch (IOException e) {
      throw new GlimpseException("cannot open index " + dir + ": " + e.getMessage(), e);
    }
  }

  public Meta meta() {
    return meta;
  }

  public Path dir() {
    return dir;
  }

  public int size() {
    return reader.numDocs();
  }

  /** Lucene segments, each with its own graph (a built index has one: {@link Writer#forceMerge}). */
  public int segments() {
    return reader.leaves().size();
  }

  /**
   * The {@code k} nearest vectors by HNSW search, exploring {@code candidates} (at least k) nodes per
   * query (Lucene's ef): more candidates, higher recall, slower queries.
   */
  public List<Hit> search(float[] query, int k, int candidates) {
    check(query);
    try {
      TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, Math.max(k, candidates)), Math.max(k,
          candidates));
      List<Hit> hits = new ArrayList<>();
      StoredFields stored = searcher.storedFields();
      for (ScoreDoc d : top.scoreDocs) {
        if (hits.size() == k) {
          break;
        }
        // Lucene's DOT_PRODUCT score is (1 + dot) / 2
        hits.add(new Hit(stored.document(d.doc).get(PATH), 2 * d.score - 1, d.doc));
      }
      return hits;
    } catch (IOException e) {
      throw new GlimpseException("cannot search index " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The {@code k} nearest vectors by brute force over every vector (the check of {@link #search}). */
  public List<Hit> exact(float[] query, int k) {
    check(query);
    loadVectors();
    int[] best = Exact.topK(vectors, query, k);
    List<Hit> hits = new ArrayList<>();
    try {
      StoredFields stored = searcher.storedFields();
      for (int i : best) {
        float score = VectorUtil.dotProduct(vectors[i], query);
        hits.add(new Hit(stored.document(docs[i]).get(PATH), score, docs[i]));
      }
    } catch (IOException e) {
      throw new GlimpseException("cannot read index " + dir + ": " + e.getMessage(), e);
    }
    return hits;
  }

  private void check(float[] query) {
    if (query.length != meta.dim()) {
      throw new GlimpseException("the query has " + query.length + " dimensions but index " + dir + " holds "
          + meta.dim() + "-dimensional vectors (built with " + meta.model() + ")");
    }
  }

  private void loadVectors() {
    if (vectors != null) {
      return;
    }
    float[][] all = new float[size()][];
    int[] ids = new int[size()];
    int n = 0;
    try {
      for (LeafReaderContext leaf : reader.leaves()) {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
        if (values == null) {
          continue;
        }
        for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
          all[n] = values.vectorValue().clone(); // Lucene reuses the array it returns
          ids[n++] = leaf.docBase + doc;
        }
      }
    } catch (IOException e) {
      throw new GlimpseException("cannot read index " + dir + ": " + e.getMessage(), e);
    }
    vectors = Arrays.copyOf(all, n);
    docs = Arrays.copyOf(ids, n);
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new GlimpseException("cannot close index " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Brute-force nearest neighbours: every vector scored with Lucene's {@link VectorUtil#dotProduct} (unrolled with
   * several accumulators, so the JIT is not held to one addition after another as in a plain loop), the best k kept
   * in a small heap of primitives.
   */
  public static final class Exact {
    private Exact() {}

    /** Indices of the {@code k} rows of {@code vectors} with the largest dot product with {@code query}, best first. */
    public static int[] topK(float[][] vectors, float[] query, int k) {
      int size = Math.min(k, vectors.length);
      // a min-heap of the best so far: heapScore[0] is the worst kept
      float[] heapScore = new float[size];
      int[] heapIndex = new int[size];
      int filled = 0;
      for (int i = 0; i < vectors.length; i++) {
        float s = VectorUtil.dotProduct(vectors[i], query);
        if (filled < size) {
          heapScore[filled] = s;
          heapIndex[filled] = i;
          siftUp(heapScore, heapIndex, filled++);
        } else if (size > 0 && s > heapScore[0]) {
          heapScore[0] = s;
          heapIndex[0] = i;
          siftDown(heapScore, heapIndex, size);
        }
      }
      int[] out = new int[filled];
      for (int j = filled - 1; j >= 0; j--) { // pop the worst first: fill from the back
        out[j] = heapIndex[0];
        heapScore[0] = heapScore[j];
        heapIndex[0] = heapIndex[j];
        siftDown(heapScore, heapIndex, j);
      }
      return out;
    }

    private static void siftUp(float[] score, int[] index, int at) {
      while (at > 0) {
        int parent = (at - 1) / 2;
        if (score[parent] <= score[at]) {
          return;
        }
        swap(score, index, parent, at);
        at = parent;
      }
    }

    private static void siftDown(float[] score, int[] index, int size) {
      int at = 0;
      while (true) {
        int left = 2 * at + 1;
        int smallest = at;
        if (left < size && score[left] < score[smallest]) {
          smallest = left;
        }
        if (left + 1 < size && score[left + 1] < score[smallest]) {
          smallest = left + 1;
        }
        if (smallest == at) {
          return;
        }
        swap(score, index, at, smallest);
        at = smallest;
      }
    }

    private static void swap(float[] score, int[] index, int a, int b) {
      float s = score[a];
      score[a] = score[b];
      score[b] = s;
      int i = index[a];
      index[a] = index[b];
      index[b] = i;
    }
  }

  /**
   * Adds vectors to a new index, written beside its place; {@link #publish} commits it and moves it into
   * place, {@link #close} without it removes what was written.
   */
  public static final class Writer implements AutoCloseable {
    private final Path target;
    private final Path staged;
    private final Meta meta;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private int count;
    private boolean failed;
    private boolean published;

    private Writer(Path target, Meta meta, int ramBufferMb) {
      this.target = target;
      this.meta = meta;
      Path parent = target.toAbsolutePath().getParent();
      this.staged = parent.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
          + System.nanoTime());
      try {
        Files.createDirectories(staged);
        directory = FSDirectory.open(staged);
        IndexWriterConfig config = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE)
            .setRAMBufferSizeMB(ramBufferMb).setCodec(codec(meta.maxConn(), meta.beamWidth()));
        writer = new IndexWriter(directory, config);
      } catch (IOException e) {
        throw new GlimpseException("cannot create index " + target + ": " + e.getMessage(), e);
      }
    }

    private static Lucene912Codec codec(int maxConn, int beamWidth) {
      KnnVectorsFormat hnsw = new Lucene99HnswVectorsFormat(maxConn, beamWidth);
      return new Lucene912Codec() {
        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
          return hnsw;
        }
      };
    }

    /** Adds one unit-length vector under {@code path}. */
    public void add(String path, float[] vector) {
      if (vector.length != meta.dim()) {
        throw new IllegalArgumentException("vector of " + vector.length + " dimensions for an index of " + meta.dim());
      }
      Document doc = new Document();
      doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
      doc.add(new StringField(PATH, path, Field.Store.YES));
      try {
        writer.addDocument(doc);
        count++;
      } catch (IOException | RuntimeException e) {
        failed = true;
        throw new GlimpseException("cannot add " + path + " to index " + target + ": " + e.getMessage(), e);
      }
    }

    public int count() {
      return count;
    }

    /** Merges the index into one segment (one graph: the fastest searches). */
    public void forceMerge() {
      try {
        writer.forceMerge(1);
      } catch (IOException e) {
        failed = true;
        throw new GlimpseException("cannot merge index " + target + ": " + e.getMessage(), e);
      }
    }

    /** Commits the index and moves it into place with its {@value #META}; the count of vectors. */
    public int publish() {
      if (failed) {
        throw new IllegalStateException("an index that failed cannot be published");
      }
      try {
        writer.commit();
        writer.close();
        directory.close();
        Meta done = new Meta(meta.format(), meta.dim(), count, meta.model(), meta.modelType(), meta.fingerprint(),
            meta.maxConn(), meta.beamWidth());
        Json.write(staged.resolve(META), done);
        AtomicFiles.replaceDirectory(staged, target);
        published = true;
        return count;
      } catch (IOException e) {
        failed = true;
        throw new GlimpseException("cannot write index " + target + ": " + e.getMessage(), e);
      }
    }

    /** Without {@link #publish} (an error on the way), removes the partial index: nothing is left half-built. */
    @Override
    public void close() {
      if (published) {
        return;
      }
      try {
        writer.rollback();
        directory.close();
      } catch (IOException | RuntimeException e) {
        // best effort: the staged folder goes anyway
      }
      AtomicFiles.deleteRecursively(staged);
    }
  }
}
