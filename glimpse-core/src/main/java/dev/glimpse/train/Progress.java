package dev.glimpse.train;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with ETA on stderr for interactive terminals; in logs (no console) a plain line
 * every few seconds instead of carriage-return updates.
 */
public final class Progress implements AutoCloseable {
  private final ProgressBar bar;
  private final PrintStream plain;
  private final String task;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long lastPrint;
  private long current;
  private final long initial;

  public Progress(String task, long initial, long total, boolean quiet) {
    this.task = task;
    this.initial = initial;
    this.total = total;
    this.current = initial;
    if (!quiet && System.console() != null) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(500).startsFrom(initial, java.time.Duration.ZERO).setConsumer(
              new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
      plain = null;
    } else {
      bar = null;
      plain = quiet ? null : System.err;
    }
  }

  public void step(long done, String message) {
    current = done;
    if (bar != null) {
      bar.stepTo(done);
      bar.setExtraMessage(" " + message);
      return;
    }
    long now = System.nanoTime();
    if (plain != null && (now - lastPrint > 10_000_000_000L || done == total)) {
      lastPrint = now;
      double seconds = (now - startNanos) / 1e9;
      long doneHere = done - initial;
      String eta = doneHere > 0 ? String.format(", ETA %.0fs", seconds / doneHere * (total - done)) : "";
      plain.printf("%s %d/%d (%.0f%%) %s, %.0fs elapsed%s%n", task, done, total, 100.0 * done / total, message,
          seconds, eta);
    }
  }

  public long current() {
    return current;
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
