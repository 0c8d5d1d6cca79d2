package dev.glimpse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code glimpse bench}: benchmarks that print ratios measured in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks (speed figures measured within one run).",
    subcommands = {BenchTrainCommand.class, BenchDecodeCommand.class, BenchEvalCommand.class,
      BenchDataCommand.class, BenchPackingCommand.class, BenchServeCommand.class, BenchIndexCommand.class})
public final class BenchCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
