package dev.glimpse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code glimpse hf}: tools for HuggingFace models. */
@Command(
    name = "hf",
    mixinStandardHelpOptions = true,
    description = {"HuggingFace models: check that Glimpse computes what transformers computes; list and download",
        "models of the HuggingFace cache (any model option also takes hf:ORG/NAME[@REVISION])."},
    subcommands = {HfVerifyCommand.class, HfListCommand.class, HfDownloadCommand.class})
public final class HfCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
