package io.steadfast.api;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception the Steadfast runtime raises to its callers. Unchecked.
 *
 * <p>Subclasses carry the data a caller can act on. Messages are lower-case fragments naming the
 * offending value.
 */
public class SteadfastException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** With a message. */
  public SteadfastException(String message) {
    super(message);
  }

  /** With a message and the cause it wraps. */
  public SteadfastException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
