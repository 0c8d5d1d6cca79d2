package dev.glimpse.spark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code glimpse spark}: the batch jobs. */
@Command(name = "spark", mixinStandardHelpOptions = true,
    description = "Batch jobs on Apache Spark: captions, answers or embeddings for a folder or table of images.",
    subcommands = {CaptionJob.class, VqaJob.class, EmbedJob.class})
public final class SparkCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing job: caption, vqa or embed");
  }
}
