package io.steadfast.api.session;

import io.steadfast.api.SteadfastException;

/**
 * A remote request came without credentials the member accepts: none at all, a bearer token that is
 * expired, forged or for another audience, or a client certificate nobody mapped. Nothing was
 * journaled. Over HTTP this is status 401.
 */
public final class NotAuthenticatedException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  /** With {@code message} saying what was missing or wrong (never the credential itself). */
  public NotAuthenticatedException(String message) {
    super(message);
  }
}
