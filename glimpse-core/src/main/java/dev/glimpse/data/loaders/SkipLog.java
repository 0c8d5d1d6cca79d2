package dev.glimpse.data.loaders;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts skipped samples and warns about them without flooding the log: the first {@link
 * #FULL_MESSAGES} skips are logged in full, then one line each time the count reaches a power of
 * ten ("skipped 100 samples so far"). Thread-safe: decoding threads report here concurrently.
 */
public final class SkipLog {
  /** How many skips are logged with their own message before switching to counts. */
  public static final int FULL_MESSAGES = 5;

  private static final Logger LOG = LoggerFactory.getLogger(SkipLog.class);

  private final String source;
  private final Consumer<String> sink;
  private final AtomicLong count = new AtomicLong();

  /** Warnings go to the log (slf4j, WARN level). */
  public SkipLog(String source) {
    this(source, LOG::warn);
  }

  /** Warnings go to {@code sink}; tests collect them, the CLI may print them. */
  public SkipLog(String source, Consumer<String> sink) {
    this.source = source;
    this.sink = sink;
  }

  /** Counts one skipped sample; {@code reason} says which file or key and what was wrong. */
  public void skip(String reason) {
    long n = count.incrementAndGet();
    if (n <= FULL_MESSAGES) {
      sink.accept(source + ": skipped a sample: " + reason);
      if (n == FULL_MESSAGES) {
        sink.accept(source + ": further skipped samples are only counted");
      }
    } else if (isPowerOfTen(n)) {
      sink.accept(source + ": skipped " + n + " samples so far (latest: " + reason + ")");
    }
  }

  /** Logs a problem that is not a skipped sample (a damaged shard's remainder, a bad line). */
  public void warn(String message) {
    sink.accept(source + ": " + message);
  }

  public long count() {
    return count.get();
  }

  private static boolean isPowerOfTen(long n) {
    while (n >= 10 && n % 10 == 0) {
      n /= 10;
    }
    return n == 1;
  }
}
