package dev.glimpse.spark.cli;

import static org.apache.spark.sql.functions.col;

import dev.glimpse.spark.GlimpseCaptioner;
import dev.glimpse.spark.SparkJob;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code glimpse spark caption}: a caption per image. */
@Command(name = "caption", mixinStandardHelpOptions = true,
    description = "Caption every image of a folder (or table) on Spark; writes path, caption[, score], error.")
final class CaptionJob extends JobCommand {
  @Mixin DecodingFlags decoding;

  @Override
  String jobName() {
    return "glimpse spark caption";
  }

  @Override
  Dataset<Row> transform(Dataset<Row> inputs, boolean table) {
    return new GlimpseCaptioner()
        .setCheckpoint(checkpoint)
        .setImageCol(table ? imageCol : SparkJob.PATH)
        .setOutputCol("caption")
        .setErrorCol("error")
        .setScoreCol(decoding.score ? "score" : "")
        .setBatchSize(batchSize)
        .setThreadsPerTask(threadsPerTask)
        .setDecoding(decoding.decoding())
        .transform(inputs);
  }

  @Override
  Dataset<Row> select(Dataset<Row> transformed, boolean table) {
    if (table) {
      return transformed;
    }
    List<Column> cols = new ArrayList<>(List.of(col(SparkJob.PATH), col("caption")));
    if (decoding.score) {
      cols.add(col("score"));
    }
    cols.add(col("error"));
    return transformed.select(cols.toArray(Column[]::new));
  }
}
