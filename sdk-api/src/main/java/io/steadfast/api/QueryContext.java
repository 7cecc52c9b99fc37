package io.steadfast.api;

import io.steadfast.api.session.Principal;

/**
 * What {@link ResilientApplication#query} may know about the request it answers.
 *
 * <p><b>Not intended to be implemented by applications.</b> Immutable; valid during the call only.
 */
public interface QueryContext {

  /** The position of the last command applied to the state the query sees. */
  Position position();

  /** Who asked. */
  Principal principal();
}
