package dev.glimpse.data;

/** One sample could not be read (missing file, corrupt image); the loader skips it with a warning. */
public final class SampleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SampleException(String message) {
    super(message);
  }

  public SampleException(String message, Throwable cause) {
    super(message, cause);
  }
}
