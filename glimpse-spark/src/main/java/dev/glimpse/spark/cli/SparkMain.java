package dev.glimpse.spark.cli;

import dev.glimpse.util.GlimpseException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the glimpse-spark jar: {@code glimpse spark caption|vqa|embed} and {@code glimpse bench
 * spark}. Through spark-submit the jobs may also be named directly:
 * {@code spark-submit --class dev.glimpse.spark.cli.SparkMain glimpse-spark.jar caption --input ...}.
 */
@Command(name = "glimpse", mixinStandardHelpOptions = true,
    description = "Glimpse on Apache Spark: batch captioning, question answering and embedding.",
    subcommands = {SparkCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
  private static final Set<String> JOBS = Set.of("caption", "vqa", "embed");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command (spark or bench)");
  }

  public static void main(String[] args) {
    int code = execute(args);
    System.exit(code);
  }

  /** Runs the CLI and returns the exit code; the tests call it in-process. */
  public static int execute(String... args) {
    String[] full = args.length > 0 && JOBS.contains(args[0]) ? prefixed(args) : args;
    CommandLine cmd = new CommandLine(new SparkMain());
    cmd.setOut(new PrintWriter(System.out, true));
    cmd.setErr(new PrintWriter(System.err, true));
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler(SparkMain::handleException);
    return cmd.execute(full);
  }

  private static String[] prefixed(String[] args) {
    String[] out = new String[args.length + 1];
    out[0] = "spark";
    System.arraycopy(args, 0, out, 1, args.length);
    return out;
  }

  /** One clear line for problems the user can fix; the stack trace only with --verbose. */
  private static int handleException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    boolean verbose = Arrays.asList(parsed.originalArgs().toArray(new String[0])).contains("--verbose");
    PrintWriter err = cmd.getErr();
    String user = userMessage(e);
    int code;
    if (user != null) {
      err.println("error: " + user);
      code = 2;
    } else {
      String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
      err.println("error: internal error (" + e.getClass().getSimpleName() + message + ")");
      if (!verbose) {
        err.println("       run again with --verbose for the stack trace");
      }
      code = 1;
    }
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** The message of a user error anywhere in the cause chain (a failed Spark job wraps the task's). */
  static String userMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof GlimpseException || t instanceof IllegalArgumentException
          || t.getClass().getName().equals("org.apache.spark.sql.AnalysisException")) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}
