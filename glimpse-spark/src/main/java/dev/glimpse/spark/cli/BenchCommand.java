package dev.glimpse.spark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code glimpse bench spark} (the core's other benchmarks live in the glimpse jar). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks of the Spark module.",
    subcommands = {BenchSparkCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: spark");
  }
}
