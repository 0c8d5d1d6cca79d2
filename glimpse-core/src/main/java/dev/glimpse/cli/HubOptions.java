package dev.glimpse.cli;

import dev.glimpse.hf.hub.ModelResolver;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --offline} flag of the commands that take a model, and the one call that turns their
 * model argument (a folder, or a HuggingFace id {@code hf:ORG/NAME[@REV]}) into a local folder.
 */
public final class HubOptions {
  @Option(names = "--offline",
      description = "For hf: model ids use only the local HuggingFace cache, never the network (as HF_HUB_OFFLINE=1).")
  boolean offline;

  /**
   * The folder for a model argument (null stays null). Download progress and notes go to stderr, like
   * any progress bar, so that stdout keeps only the command's results.
   */
  Path resolve(String model) {
    return model == null ? null : ModelResolver.resolve(model, offline, System.err);
  }
}
