package io.steadfast.runtime.internal.node;

import io.steadfast.api.SteadfastException;

/**
 * A switchover the primary could not complete: the target did not take over within the engine's
 * request timeout (it is down, far behind or not answering), and this node stays primary. The HTTP
 * endpoint answers it with 409 {@code switchover-failed} rather than 503, so that {@code
 * steadfast-admin} prints the reason at once instead of asking again as if no primary were known.
 */
public final class HandOverFailedException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  /** With the message the operator sees (what the primary knows of the target) and the cause. */
  public HandOverFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
