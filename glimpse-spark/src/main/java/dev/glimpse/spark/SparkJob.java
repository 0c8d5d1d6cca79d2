package dev.glimpse.spark;

import dev.glimpse.data.Images;
import dev.glimpse.util.GlimpseException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The batch job behind {@code glimpse spark caption|vqa|embed}, in three steps that callers (and tests)
 * can run apart: {@link #input} lists or reads the inputs into ordered partitions, a transformer adds
 * its columns, {@link #write} writes through Spark's file committer. Each task writes into its own
 * attempt folder and only committed attempts are moved into place, so a retried or speculative task
 * never duplicates or loses rows; an existing output is refused unless overwriting is asked for.
 */
public final class SparkJob {
  /** The column of ordinals that keeps the output in input order; dropped before writing. */
  static final String ORDER = "_glimpse_row";
  /** The path column of image-folder inputs. */
  public static final String PATH = "path";
  /** Inputs at most this many per partition when no partition count is given. */
  static final int ROWS_PER_PARTITION = 5000;

  private SparkJob() {}

  /** Output formats: Parquet, or JSON lines (Spark's json source). */
  public enum Format {
    PARQUET("parquet"),
    JSONL("json");

    final String source;

    Format(String source) {
      this.source = source;
    }
  }

  /** Whether {@code input} is a table of inputs (JSON lines or Parquet) rather than images. */
  public static boolean isTable(String input) {
    String name = input.toLowerCase(Locale.ROOT);
    return name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".parquet");
  }

  /**
   * The inputs as a data frame in ordered partitions. Images (a folder, a file or a glob on any Hadoop
   * file system) give one row per image file, column {@value #PATH}, sorted by path; a folder is read
   * one level deep unless {@code recursive}. A table (.jsonl / .json / .parquet) gives its rows in
   * file order; {@code pathColumns} of a table holding relative paths are resolved against the
   * table's folder.
   *
   * @param partitions partitions to use; 0 = about {@value #ROWS_PER_PARTITION} rows each, at least two
   *     per core of the cluster
   */
  public static Dataset<Row> input(SparkSession spark, String input, boolean recursive, int partitions,
      List<String> pathColumns) {
    if (isTable(input)) {
      return table(spark, input, partitions, pathColumns);
    }
    List<String> files = imageFiles(input, recursive, spark.sparkContext().hadoopConfiguration());
    List<Row> rows = new ArrayList<>(files.size());
    for (int i = 0; i < files.size(); i++) {
      rows.add(RowFactory.create((long) i, files.get(i)));
    }
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField(ORDER, DataTypes.LongType, false),
        DataTypes.createStructField(PATH, DataTypes.StringType, false)));
    int n = partitions(spark, files.size(), partitions);
    // contiguous slices: partition k holds the k-th run of sorted paths, so the output stays in order
    return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, n),
        schema);
  }

  private static Dataset<Row> table(SparkSession spark, String input, int partitions, List<String> pathColumns) {
    Dataset<Row> df;
    try {
      df = input.toLowerCase(Locale.ROOT).endsWith(".parquet") ? spark.read().parquet(input)
          : spark.read().option("mode", "FAILFAST").json(input);
    } catch (RuntimeException e) {
      throw new GlimpseException("cannot read input table " + input + ": " + firstLine(e));
    }
    String base = new Path(input).getParent() == null ? "" : new Path(input).getParent().toString();
    for (String c : pathColumns) {
      if (c == null || !List.of(df.columns()).contains(c)) {
        continue; // the transformer names a missing column
      }
      Column value = functions.col(c);
      // absolute paths and URIs stay; relative ones are relative to the table's folder
      Column absolute = value.startsWith("/").or(value.rlike("^[a-zA-Z][a-zA-Z0-9+.-]+:"));
      df = df.withColumn(c, functions.when(value.isNull().or(absolute).or(functions.lit(base.isEmpty())), value)
          .otherwise(functions.concat(functions.lit(base + "/"), value)));
    }
    long count = df.count();
    int n = partitions(spark, count, partitions);
    return df.withColumn(ORDER, functions.monotonically_increasing_id())
        .repartitionByRange(n, functions.col(ORDER))
        .sortWithinPartitions(ORDER);
  }

  static int partitions(SparkSession spark, long rows, int requested) {
    if (requested < 0) {
      throw new GlimpseException("--partitions must be >= 1, got " + requested);
    }
    if (requested > 0) {
      return requested;
    }
    long byRows = (rows + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION;
    long n = Math.max(2L * spark.sparkContext().defaultParallelism(), byRows);
    return (int) Math.max(1, Math.min(n, Math.max(rows, 1)));
  }

  /** Image files (by extension, as {@code glimpse caption} picks them) under a folder, file or glob; sorted. */
  static List<String> imageFiles(String input, boolean recursive, Configuration conf) {
    List<String> files = new ArrayList<>();
    try {
      Path path = new Path(input);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null || matches.length == 0) {
        throw new GlimpseException("input not found: " + input);
      }
      for (FileStatus m : matches) {
        if (m.isDirectory()) {
          list(fs, m.getPath(), recursive, files);
        } else if (isImage(m.getPath())) {
          files.add(m.getPath().toString());
        }
      }
    } catch (FileNotFoundException e) {
      throw new GlimpseException("input not found: " + input);
    } catch (IOException e) {
      throw new GlimpseException("cannot list input " + input + ": " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw new GlimpseException("no image files (png, jpg, jpeg, bmp, gif) in " + input);
    }
    files.sort(null);
    return files;
  }

  /**
   * Image files of a folder (and its subfolders when {@code recursive}), skipping names that start with
   * "." or "_" (Spark's and Hadoop's side files). Plain {@code listStatus}: Hadoop's {@code listFiles}
   * would also fetch block locations and, on the local file system, start a process per file for its
   * permissions.
   */
  private static void list(FileSystem fs, Path dir, boolean recursive, List<String> files) throws IOException {
    for (FileStatus f : fs.listStatus(dir)) {
      String name = f.getPath().getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      if (f.isDirectory()) {
        if (recursive) {
          list(fs, f.getPath(), true, files);
        }
      } else if (isImage(f.getPath())) {
        files.add(f.getPath().toString());
      }
    }
  }

  private static boolean isImage(Path p) {
    return Images.isImageFile(java.nio.file.Path.of(p.getName()));
  }

  /**
   * Writes {@code result} (its rows in partition order, the ordinal column dropped) to {@code output}
   * through Spark's committer. Refuses an existing output unless {@code overwrite}.
   */
  public static void write(Dataset<Row> result, String output, Format format, boolean overwrite) {
    SparkSession spark = result.sparkSession();
    try {
      Path out = new Path(output);
      FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!overwrite && fs.exists(out)) {
        throw new GlimpseException("output " + output + " already exists; pass --overwrite to replace it");
      }
    } catch (IOException e) {
      throw new GlimpseException("cannot reach output " + output + ": " + e.getMessage());
    }
    Dataset<Row> rows = List.of(result.columns()).contains(ORDER) ? result.drop(ORDER) : result;
    rows.write()
        .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        .format(format.source)
        .option("ignoreNullFields", false) // JSON lines: every line has every key, null where absent
        .save(output);
  }

  /** Rows and error rows in a written output. */
  public record Counts(long rows, long errors) {}

  /** Counts the rows of a written output (read back: exactly what was committed). */
  public static Counts count(SparkSession spark, String output, Format format, StructType schema, String errorCol) {
    Dataset<Row> written = spark.read().schema(schema).format(format.source).load(output);
    Row r = written.agg(functions.count(functions.lit(1)), functions.count(functions.col(errorCol))).first();
    return new Counts(r.getLong(0), r.getLong(1));
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
