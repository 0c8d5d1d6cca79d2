package dev.glimpse.spark.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** Runs a CLI in-process (this module's or the core's) and captures its exit code, stdout and stderr. */
record Cli(int exitCode, String out, String err) {
  static Cli spark(String... args) {
    return run(SparkMain::execute, args);
  }

  static Cli core(String... args) {
    return run(dev.glimpse.cli.Main::execute, args);
  }

  private static synchronized Cli run(Function<String[], Integer> main, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = main.apply(args);
      return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  JsonObject json() {
    return JsonParser.parseString(out).getAsJsonObject();
  }
}
