package dev.glimpse.spark;

/** One row's input cannot be used (missing file, corrupt image, null value): the row gets this message as its error. */
final class BadInput extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadInput(String message) {
    super(message, null, false, false);
  }
}
