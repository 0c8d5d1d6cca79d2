package dev.glimpse.spark.cli;

import com.google.gson.JsonObject;
import dev.glimpse.cli.CommonOptions;
import dev.glimpse.spark.SparkJob;
import dev.glimpse.spark.TaskStats;
import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the three jobs share: the Spark session (from spark-submit, or local with {@code --master}),
 * the input, the output through Spark's committer, and the summary.
 */
abstract class JobCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "A folder (or file, or glob) of images on any Hadoop file system, or a table of inputs "
          + "(.jsonl / .json / .parquet).")
  String input;

  @Option(names = "--output", required = true, paramLabel = "PATH",
      description = "Output folder (Spark part files); must not exist unless --overwrite.")
  String output;

  @Option(names = "--checkpoint", required = true, paramLabel = "PATH|hf:ID",
      description = "Glimpse checkpoint or run folder, HuggingFace model folder or id hf:ORG/NAME[@REV]; any "
          + "Hadoop path (hdfs://, s3a://, file:) or a name shipped with --files.")
  String checkpoint;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--format", paramLabel = "parquet|jsonl", description = "Output format (default parquet).")
  SparkJob.Format format = SparkJob.Format.PARQUET;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Partitions (tasks) to split the inputs into (default: ~5000 inputs each, at least 2 per core).")
  int partitions;

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @Option(names = "--recursive", description = "Read image folders recursively (default: one level, as glimpse caption).")
  boolean recursive;

  @Option(names = "--image-col", paramLabel = "COL", description = "Table inputs: the image path column (default image).")
  String imageCol = "image";

  @Option(names = "--batch-size", paramLabel = "N", description = "Inputs run through the model together (default 16).")
  int batchSize = 16;

  @Option(names = "--threads-per-task", paramLabel = "N",
      description = "Native threads per task (default 0: spark.task.cpus).")
  int threadsPerTask;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark setting (repeatable).")
  Map<String, String> conf = Map.of();

  /** The job's name in the Spark UI. */
  abstract String jobName();

  /** Path columns of a table input (resolved against the table's folder). */
  List<String> pathColumns() {
    return List.of(imageCol);
  }

  /** Adds the job's columns to the inputs; {@code table} says whether the input is a table. */
  abstract Dataset<Row> transform(Dataset<Row> inputs, boolean table);

  /** The columns to write, in order (the ordinal column is dropped by the writer). */
  abstract Dataset<Row> select(Dataset<Row> transformed, boolean table);

  /** The error column of the written rows. */
  String errorCol() {
    return "error";
  }

  @Override
  public Integer call() {
    if (batchSize < 1) {
      throw new GlimpseException("--batch-size must be >= 1, got " + batchSize);
    }
    if (threadsPerTask < 0) {
      throw new GlimpseException("--threads-per-task must be >= 0, got " + threadsPerTask);
    }
    Sessions.Owned session = Sessions.open(master, jobName(), conf);
    try {
      JsonObject summary = run(session.spark());
      if (!common.json) {
        System.out.printf(Locale.ROOT, "%d rows (%d errors) in %.1f s (%.2f rows/s) -> %s%n",
            summary.get("rows").getAsLong(), summary.get("errors").getAsLong(), summary.get("seconds").getAsDouble(),
            summary.get("rows_per_second").getAsDouble(), output);
      }
      common.printJson(summary);
    } finally {
      session.close();
    }
    return 0;
  }

  /** Runs the job on {@code spark}; the summary (rows, errors, seconds, rows/s, output, format). */
  JsonObject run(SparkSession spark) {
    long start = System.nanoTime();
    double read0 = TaskStats.inputSeconds();
    double model0 = TaskStats.modelSeconds();
    boolean table = SparkJob.isTable(input);
    Dataset<Row> inputs = SparkJob.input(spark, input, recursive, partitions, pathColumns());
    Dataset<Row> result = select(transform(inputs, table), table);
    SparkJob.write(result, output, format, overwrite);
    double seconds = (System.nanoTime() - start) / 1e9;
    List<String> kept = new ArrayList<>(List.of(result.columns()));
    kept.remove("_glimpse_row");
    StructType written = result.select(kept.stream().map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new)).schema();
    SparkJob.Counts counts = SparkJob.count(spark, output, format, written, errorCol());
    JsonObject o = new JsonObject();
    o.addProperty("output", output);
    o.addProperty("format", format.name().toLowerCase(Locale.ROOT));
    o.addProperty("rows", counts.rows());
    o.addProperty("errors", counts.errors());
    o.addProperty("partitions", inputs.rdd().getNumPartitions());
    o.addProperty("seconds", seconds);
    o.addProperty("rows_per_second", counts.rows() / Math.max(seconds, 1e-9));
    o.addProperty("master", spark.sparkContext().master());
    if (spark.sparkContext().isLocal()) {
      // the tasks ran in this JVM: where their time went, summed over task threads
      o.addProperty("task_read_seconds", TaskStats.inputSeconds() - read0);
      o.addProperty("task_model_seconds", TaskStats.modelSeconds() - model0);
    }
    return o;
  }

  /** The master to use when none is given: spark-submit's, else every local core. */
  static String defaultMaster() {
    return new SparkConf().get("spark.master", "local[*]");
  }
}
