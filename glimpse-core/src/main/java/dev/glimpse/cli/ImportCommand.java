package dev.glimpse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code glimpse import}: converts models from other formats into Glimpse checkpoints. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Convert a model from another format into a Glimpse checkpoint.",
    subcommands = {ImportHfCommand.class})
public final class ImportCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
