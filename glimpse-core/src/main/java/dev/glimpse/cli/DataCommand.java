package dev.glimpse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code glimpse data}: data generation and inspection. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Data: write the synthetic datasets to disk.",
    subcommands = {DataSynthCommand.class})
public final class DataCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
