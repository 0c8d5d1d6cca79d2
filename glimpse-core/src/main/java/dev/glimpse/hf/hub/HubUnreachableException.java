package dev.glimpse.hf.hub;

import dev.glimpse.util.GlimpseException;

/** The hub could not be reached (no network, refused, timed out): a cached copy may still do. */
public final class HubUnreachableException extends GlimpseException {
  private static final long serialVersionUID = 1L;

  public HubUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
