package dev.glimpse.cli;

import com.google.gson.JsonElement;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** Options every command has: --json and --verbose. Mixed into each command. */
public final class CommonOptions {
  @Option(names = "--json", description = "Print one final JSON object with the results on stdout.")
  public boolean json;

  @Option(names = "--verbose", description = "Print stack traces and more detail on errors.")
  public boolean verbose;

  /** Human-readable progress and summaries go to stdout normally, to stderr under --json. */
  public PrintStream info() {
    return json ? System.err : System.out;
  }

  /** Prints the final JSON result (only under --json). */
  public void printJson(JsonElement result) {
    if (json) {
      System.out.println(Json.GSON.toJson(result));
      System.out.flush();
    }
  }
}
