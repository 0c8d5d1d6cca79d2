package dev.glimpse.spark.cli;

import static org.apache.spark.sql.functions.col;

import dev.glimpse.spark.GlimpseVqa;
import dev.glimpse.spark.SparkJob;
import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse spark vqa}: an answer per image and question. */
@Command(name = "vqa", mixinStandardHelpOptions = true,
    description = "Answer questions about images on Spark: one --question for a folder of images, or a table "
        + "with image and question columns; writes the inputs with answer[, score], error.")
final class VqaJob extends JobCommand {
  @Mixin DecodingFlags decoding;

  @Option(names = "--question", paramLabel = "TEXT", description = "The question for every image of a folder.")
  String question;

  @Option(names = "--question-col", paramLabel = "COL", description = "Table inputs: the question column (default question).")
  String questionCol = "question";

  @Override
  String jobName() {
    return "glimpse spark vqa";
  }

  @Override
  Dataset<Row> transform(Dataset<Row> inputs, boolean table) {
    if (!table && (question == null || question.isBlank())) {
      throw new GlimpseException("a folder of images needs --question (or give a table with a question column)");
    }
    if (table && question != null) {
      throw new GlimpseException("--question is for a folder of images; a table has its own --question-col");
    }
    Dataset<Row> withQuestions = table ? inputs : inputs.withColumn("question", functions.lit(question));
    return new GlimpseVqa()
        .setCheckpoint(checkpoint)
        .setImageCol(table ? imageCol : SparkJob.PATH)
        .setQuestionCol(table ? questionCol : "question")
        .setOutputCol("answer")
        .setErrorCol("error")
        .setScoreCol(decoding.score ? "score" : "")
        .setBatchSize(batchSize)
        .setThreadsPerTask(threadsPerTask)
        .setDecoding(decoding.decoding())
        .transform(withQuestions);
  }

  @Override
  Dataset<Row> select(Dataset<Row> transformed, boolean table) {
    if (table) {
      return transformed;
    }
    List<Column> cols = new ArrayList<>(List.of(col(SparkJob.PATH), col("question"), col("answer")));
    if (decoding.score) {
      cols.add(col("score"));
    }
    cols.add(col("error"));
    return transformed.select(cols.toArray(Column[]::new));
  }
}
