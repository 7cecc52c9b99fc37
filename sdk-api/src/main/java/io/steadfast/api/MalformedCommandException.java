package io.steadfast.api;

import org.jspecify.annotations.Nullable;

/**
 * A command could not be decoded (bad bytes, unknown type, missing field). Nothing was journaled,
 * or, if it was discovered while applying, the command was rejected with no effect on the state.
 */
public final class MalformedCommandException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  /** With a message naming the problem. */
  public MalformedCommandException(String message) {
    super(message);
  }

  /** With a message naming the problem and the decoder's exception. */
  public MalformedCommandException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
