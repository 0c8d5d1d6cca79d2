package dev.glimpse.util;

/**
 * A problem the user can fix: bad input file, invalid config value, missing checkpoint part. The
 * CLI prints its message as one line (no stack trace unless --verbose) and exits non-zero.
 */
public class GlimpseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GlimpseException(String message) {
    super(message);
  }

  public GlimpseException(String message, Throwable cause) {
    super(message, cause);
  }
}
