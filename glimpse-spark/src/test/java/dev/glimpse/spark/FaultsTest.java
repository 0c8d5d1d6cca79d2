package dev.glimpse.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glimpse.util.GlimpseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task that dies on its first attempt, after part of its rows went to the output writer, is retried,
 * and the committed output holds every input exactly once; an existing output is never silently mixed.
 */
class FaultsTest {
  /** Failures injected so far (tasks run in this JVM in local mode). */
  static final AtomicInteger INJECTED = new AtomicInteger();

  /** Passes rows through; on the first attempt of partition 1, throws after three rows. */
  static final class FailFirstAttempt implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      TaskContext task = TaskContext.get();
      boolean fail = task.partitionId() == 1 && task.attemptNumber() == 0;
      return new Iterator<>() {
        int passed;

        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          if (fail && passed == 3) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure (first attempt of partition 1)");
          }
          passed++;
          return rows.next();
        }
      };
    }
  }

  @Test
  void aTaskFailingOnItsFirstAttemptIsRetriedAndEveryInputIsWrittenOnce(@TempDir Path dir) throws Exception {
    SparkSession spark = TestSpark.session();
    Path images = TestData.scenes("faults", 24, 9);
    String checkpoint = TestData.captionerRun().toString();
    Dataset<Row> inputs = SparkJob.input(spark, images.toString(), false, 3, List.of());
    assertEquals(3, inputs.rdd().getNumPartitions());
    Dataset<Row> captions = new GlimpseCaptioner().setCheckpoint(checkpoint).setImageCol(SparkJob.PATH)
        .setMaxTokens(4).setBatchSize(2).transform(inputs);
    Dataset<Row> faulty = captions.mapPartitions(new FailFirstAttempt(), Encoders.row(captions.schema()));
    int before = INJECTED.get();
    String out = dir.resolve("out").toString();
    SparkJob.write(faulty, out, SparkJob.Format.PARQUET, false);
    assertEquals(before + 1, INJECTED.get(), "exactly one failure was injected (and the retry did not fail)");
    List<Row> written = spark.read().parquet(out).collectAsList();
    assertEquals(24, written.size());
    Set<String> paths = new HashSet<>();
    for (Row r : written) {
      assertTrue(paths.add(r.getString(r.fieldIndex("path"))), "written twice: " + r);
      assertTrue(r.isNullAt(r.fieldIndex("caption_error")), r.toString());
    }
    assertEquals(24, paths.size());
    try (var parts = Files.list(Path.of(out))) {
      assertTrue(parts.noneMatch(p -> p.getFileName().toString().startsWith("_temporary")), "no attempt left behind");
    }
    // the retry reused the executor's model
    assertEquals(1, ModelCache.loads(checkpoint));
    // a rerun without overwrite is refused; with it, the same rows
    GlimpseException exists = org.junit.jupiter.api.Assertions.assertThrows(GlimpseException.class,
        () -> SparkJob.write(captions, out, SparkJob.Format.PARQUET, false));
    assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
    SparkJob.write(captions, out, SparkJob.Format.PARQUET, true);
    List<Row> rerun = spark.read().parquet(out).orderBy("path").collectAsList();
    assertEquals(spark.createDataFrame(written, rerun.get(0).schema()).orderBy("path").collectAsList(), rerun);
    assertEquals(24, spark.read().parquet(out).select(col("path")).distinct().count());
  }
}
