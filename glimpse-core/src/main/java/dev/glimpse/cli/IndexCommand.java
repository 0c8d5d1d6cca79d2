package dev.glimpse.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code glimpse index}: vector indexes of image embeddings (search them with {@code glimpse search}). */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = "Vector indexes (Lucene HNSW) of image embeddings; search them with 'glimpse search'.",
    subcommands = {IndexBuildCommand.class})
public final class IndexCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
