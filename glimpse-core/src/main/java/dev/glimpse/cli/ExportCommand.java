package dev.glimpse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code glimpse export}: writes checkpoints in other formats. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write a checkpoint in another format.",
    subcommands = {ExportHfCommand.class})
public final class ExportCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
