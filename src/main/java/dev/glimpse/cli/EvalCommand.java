package dev.glimpse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code glimpse eval}: scores files in the official formats (subcommands). */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate: caption metrics, VQA accuracy, or a model checkpoint.",
    subcommands = {EvalCaptionsCommand.class, EvalVqaCommand.class})
public final class EvalCommand implements Runnable {
  @Mixin CommonOptions common;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
