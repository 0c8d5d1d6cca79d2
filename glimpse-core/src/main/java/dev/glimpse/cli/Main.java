package dev.glimpse.cli;

import dev.glimpse.util.GlimpseException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code glimpse} command line. Subcommands live one per file in this package. */
@Command(
    name = "glimpse",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Train, fine-tune, evaluate and serve generative vision-language models.",
    // run by the launcher from the glimpse-spark module, which this jar does not contain
    footer = {"", "On Apache Spark (./glimpse launcher, module glimpse-spark): glimpse spark caption|vqa|embed, "
        + "glimpse bench spark; see docs/spark.md."},
    subcommands = {
      QuickstartCommand.class,
      TrainCommand.class,
      CaptionCommand.class,
      ChatCommand.class,
      GenerateCommand.class,
      EvalCommand.class,
      EmbedCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      BenchCommand.class,
      ServeCommand.class,
      RecipesCommand.class,
      DataCommand.class,
      ImportCommand.class,
      ExportCommand.class,
      HfCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code for problems the user can fix (bad input, bad config). */
  public static final int EXIT_USER_ERROR = 2;
  /** Exit code for unexpected internal failures. */
  public static final int EXIT_INTERNAL_ERROR = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    quietLibraryLogs(java.util.Arrays.asList(args).contains("--verbose"));
    System.exit(execute(args));
  }

  /**
   * A user sees Glimpse's own lines: the libraries' informational logging (DJL's engine start-up,
   * its CUDA probe on a machine without a GPU) only with {@code --verbose}. Settings given on the
   * java command line win. Must run before the first logger is created.
   */
  static void quietLibraryLogs(boolean verbose) {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    if (!verbose) {
      setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** Runs the CLI and returns the exit code; used by the tests to call commands in-process. */
  public static int execute(String... args) {
    return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true))
        .execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler(Main::handleException);
    return cmd;
  }

  /** One clear line for the user; the stack trace only with --verbose. */
  private static int handleException(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    boolean verbose = isVerbose(parseResult);
    PrintWriter err = cmd.getErr();
    Throwable cause = e;
    while (!(cause instanceof GlimpseException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    int code;
    if (cause instanceof GlimpseException) {
      err.println("error: " + cause.getMessage());
      code = EXIT_USER_ERROR;
    } else {
      String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
      err.println("error: internal error (" + e.getClass().getSimpleName() + message + ")");
      if (!verbose) {
        err.println("       run again with --verbose for the stack trace");
      }
      code = EXIT_INTERNAL_ERROR;
    }
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static boolean isVerbose(CommandLine.ParseResult parseResult) {
    CommandLine.ParseResult sub = parseResult;
    while (sub != null) {
      if (sub.hasMatchedOption("--verbose")) {
        return true;
      }
      sub = sub.subcommand();
    }
    return false;
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"glimpse " + (v == null ? "dev" : v)};
    }
  }
}
