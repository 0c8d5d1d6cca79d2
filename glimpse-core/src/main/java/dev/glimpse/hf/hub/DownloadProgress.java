package dev.glimpse.hf.hub;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One file's download progress: a bar with MiB done, rate and ETA on a terminal (stderr); in logs
 * (no console) a line every 10 s and one when the file is done, so a log shows bytes and rate too.
 */
final class DownloadProgress implements AutoCloseable {
  private final ProgressBar bar;
  private final PrintStream log;
  private final String name;
  private final long total;
  private final long initial;
  private final long startNanos = System.nanoTime();
  private long lastLine = System.nanoTime();
  private long done;

  /**
   * @param initial bytes already on disk (a resumed download)
   * @param total the file's size, or -1 when the hub did not say
   * @param log where plain lines go when there is no terminal; null for none
   */
  DownloadProgress(String name, long initial, long total, PrintStream log) {
    this.name = name;
    this.initial = initial;
    this.total = total;
    this.done = initial;
    this.log = log;
    if (log != null && System.console() != null) {
      bar = new ProgressBarBuilder().setTaskName(shortName(name)).setInitialMax(total > 0 ? total : -1)
          .setStyle(ProgressBarStyle.ASCII).setUnit("MiB", 1 << 20).showSpeed(new DecimalFormat("0.0"))
          .setUpdateIntervalMillis(250).startsFrom(initial, Duration.ZERO)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    } else {
      bar = null;
      if (log != null && initial > 0) {
        log.printf("%s: resuming at %s of %s%n", name, size(initial), size(total));
      }
    }
  }

  void update(long bytesOnDisk) {
    done = bytesOnDisk;
    if (bar != null) {
      bar.stepTo(bytesOnDisk);
      return;
    }
    long now = System.nanoTime();
    if (log != null && now - lastLine > 10_000_000_000L) {
      lastLine = now;
      log.printf("%s: %s of %s, %s%n", name, size(done), size(total), rate(now));
    }
  }

  /** The final line: size and mean rate of the bytes fetched in this run. */
  void finish() {
    if (bar != null) {
      bar.stepTo(done);
    } else if (log != null) {
      log.printf("%s: %s in %.1f s (%s)%n", name, size(done), (System.nanoTime() - startNanos) / 1e9,
          rate(System.nanoTime()));
    }
  }

  private String rate(long now) {
    double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
    return size((long) ((done - initial) / seconds)) + "/s";
  }

  static String size(long bytes) {
    return CacheListing.humanSize(bytes);
  }

  private static String shortName(String name) {
    return name.length() <= 32 ? name : "..." + name.substring(name.length() - 29);
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
