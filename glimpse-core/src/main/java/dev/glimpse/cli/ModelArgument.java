package dev.glimpse.cli;

import dev.glimpse.hf.hub.HubId;
import java.nio.file.Path;

/** How a model argument is written down for later (an index remembers the model that built it). */
final class ModelArgument {
  private ModelArgument() {}

  /** A hub id as given (it resolves anywhere), a folder as its absolute path. */
  static String recordable(String argument, Path resolved) {
    return HubId.isHubId(argument) ? argument : resolved.toAbsolutePath().normalize().toString();
  }
}
