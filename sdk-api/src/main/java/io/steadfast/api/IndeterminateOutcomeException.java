package io.steadfast.api;

import org.jspecify.annotations.Nullable;

/**
 * The deadline of a request passed before its outcome was known. The command may or may not have
 * been applied. Retrying it in the same session with the same sequence number is always safe: it is
 * applied at most once and the retry returns the original outcome.
 */
public final class IndeterminateOutcomeException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  /** With a message naming the request and the cause of the last failed attempt. */
  public IndeterminateOutcomeException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
