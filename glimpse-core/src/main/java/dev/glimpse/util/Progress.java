package dev.glimpse.util;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with ETA on stderr for interactive terminals; in logs (no console) a plain line
 * every few seconds instead of carriage-return updates. Once the first steps are timed, one line
 * gives the projected total time of the run, since that is what a user plans around and it depends
 * on the machine and its load far more than on anything else.
 */
public final class Progress implements AutoCloseable {
  /** Steps left out of the projection: the first ones pay for JIT compilation and allocations. */
  static final int WARM_UP_STEPS = 5;
  /** The projection is made after this many timed steps or {@link #PROJECTION_NANOS}, whichever is first. */
  static final int PROJECTION_STEPS = 50;
  static final long PROJECTION_NANOS = 30_000_000_000L;
  /** Runs shorter than this get no projection line (the bar's ETA says enough). */
  static final int MIN_STEPS_FOR_PROJECTION = 100;

  private final ProgressBar bar;
  private final PrintStream plain;
  private final PrintStream projectionOut;
  private final LongSupplier clock;
  private final String task;
  private final long total;
  private final long startNanos;
  private long lastPrint;
  private long current;
  private final long initial;
  private long timedFromStep = -1;
  private long timedFromNanos;
  private boolean projected;

  public Progress(String task, long initial, long total, boolean quiet) {
    this(task, initial, total, quiet, System.err, System::nanoTime, System.console() != null);
  }

  Progress(String task, long initial, long total, boolean quiet, PrintStream err, LongSupplier clock,
      boolean console) {
    this.task = task;
    this.initial = initial;
    this.total = total;
    this.current = initial;
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    this.projectionOut = quiet ? null : err;
    this.projected = total - initial < MIN_STEPS_FOR_PROJECTION;
    if (!quiet && console) {
      bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(500).startsFrom(initial, java.time.Duration.ZERO).setConsumer(
              new me.tongfei.progressbar.ConsoleProgressBarConsumer(err)).build();
      plain = null;
    } else {
      bar = null;
      plain = quiet ? null : err;
    }
  }

  public void step(long done, String message) {
    current = done;
    long now = clock.getAsLong();
    project(done, now);
    if (bar != null) {
      bar.stepTo(done);
      bar.setExtraMessage(" " + message);
      return;
    }
    if (plain != null && (now - lastPrint > 10_000_000_000L || done == total)) {
      lastPrint = now;
      double seconds = (now - startNanos) / 1e9;
      long doneHere = done - initial;
      String eta = doneHere > 0 ? String.format(", ETA %.0fs", seconds / doneHere * (total - done)) : "";
      String what = message == null || message.isBlank() ? "" : " " + message.strip();
      plain.printf("%s %d/%d (%.0f%%)%s, %.0fs elapsed%s%n", task, done, total, 100.0 * done / total, what,
          seconds, eta);
    }
  }

  /** One line with the projected total time, once the steps after the warm-up have been timed. */
  private void project(long done, long now) {
    if (projected || projectionOut == null) {
      return;
    }
    if (timedFromStep < 0) {
      if (done - initial >= WARM_UP_STEPS) {
        timedFromStep = done;
        timedFromNanos = now;
      }
      return;
    }
    long timed = done - timedFromStep;
    if (timed < PROJECTION_STEPS && now - timedFromNanos < PROJECTION_NANOS) {
      return;
    }
    projected = true;
    double perStep = (now - timedFromNanos) / 1e9 / timed;
    double totalSeconds = (now - startNanos) / 1e9 + perStep * (total - done);
    if (bar != null) {
      projectionOut.println(); // below the bar's line, which it redraws on the next line
    }
    projectionOut.printf(Locale.ROOT, "%s: %,d steps projected to take %s in all (%.3f s/step over steps %d-%d; the "
            + "pace depends on this machine and its load)%n", task, total - initial, duration(totalSeconds), perStep,
        timedFromStep + 1, done);
  }

  /** "42 s", "12.7 min", "1 h 05 min". */
  static String duration(double seconds) {
    if (seconds < 90) {
      return String.format(Locale.ROOT, "%.0f s", seconds);
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }
    long minutes = Math.round(seconds / 60);
    return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
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
