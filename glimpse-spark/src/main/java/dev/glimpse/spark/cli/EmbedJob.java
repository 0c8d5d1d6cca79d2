package dev.glimpse.spark.cli;

import static org.apache.spark.sql.functions.col;

import dev.glimpse.spark.GlimpseEmbedder;
import dev.glimpse.spark.SparkJob;
import dev.glimpse.util.GlimpseException;
import java.util.List;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code glimpse spark embed}: an embedding per image, or per text of a table. */
@Command(name = "embed", mixinStandardHelpOptions = true,
    description = "Embed images (a folder or a table's image column) or texts (--text-col of a table) on Spark "
        + "with an embedding model (CLIP); writes the inputs with embedding (float array), error.")
final class EmbedJob extends JobCommand {
  @Option(names = "--text-col", paramLabel = "COL", description = "Table inputs: embed this text column instead of images.")
  String textCol;

  @Option(names = "--no-normalize", description = "Keep the raw embeddings (default: L2-normalised).")
  boolean noNormalize;

  @Override
  String jobName() {
    return "glimpse spark embed";
  }

  @Override
  List<String> pathColumns() {
    return textCol == null ? List.of(imageCol) : List.of();
  }

  @Override
  Dataset<Row> transform(Dataset<Row> inputs, boolean table) {
    if (textCol != null && !table) {
      throw new GlimpseException("--text-col needs a table input (.jsonl / .json / .parquet)");
    }
    GlimpseEmbedder embedder = new GlimpseEmbedder()
        .setCheckpoint(checkpoint)
        .setOutputCol("embedding")
        .setErrorCol("error")
        .setNormalize(!noNormalize)
        .setBatchSize(batchSize)
        .setThreadsPerTask(threadsPerTask);
    if (textCol != null) {
      embedder.setInputType(GlimpseEmbedder.TEXT).setInputCol(textCol);
    } else {
      embedder.setInputCol(table ? imageCol : SparkJob.PATH);
    }
    // float arrays read anywhere (pandas, DuckDB...); Spark ML's vector type is the transformer's output
    return embedder.transform(inputs).withColumn("embedding", org.apache.spark.sql.functions.when(
        col("embedding").isNotNull(), functions.vector_to_array(col("embedding"), "float32")));
  }

  @Override
  Dataset<Row> select(Dataset<Row> transformed, boolean table) {
    return table ? transformed : transformed.select(col(SparkJob.PATH), col("embedding"), col("error"));
  }
}
