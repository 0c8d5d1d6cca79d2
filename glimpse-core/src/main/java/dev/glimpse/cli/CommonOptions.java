package dev.glimpse.cli;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import dev.glimpse.util.Json;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** Options every command has: --json and --verbose. Mixed into each command. */
public final class CommonOptions {
  // Nulls are printed: a metric that is not available is "SPICE": null, not a missing key.
  private static final Gson JSON_OUT = Json.GSON.newBuilder().serializeNulls().create();

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
      System.out.println(JSON_OUT.toJson(result));
      System.out.flush();
    }
  }
}
