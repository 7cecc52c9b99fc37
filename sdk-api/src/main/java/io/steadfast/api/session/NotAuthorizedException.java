package io.steadfast.api.session;

import io.steadfast.api.SteadfastException;
import java.util.Set;

/**
 * The session's principal may not submit this command type: it lacks every role the type's
 * {@code @RolesAllowed} names, or the type is {@code @DenyAll}. Refused before anything was
 * journaled.
 */
public final class NotAuthorizedException extends SteadfastException {

  private static final long serialVersionUID = 1L;

  private final String user;
  private final String commandType;
  private final Set<String> requiredRoles;

  /**
   * @param user the principal's user name
   * @param commandType the simple name of the command type
   * @param requiredRoles the roles any one of which would have allowed it; empty for deny-all
   */
  public NotAuthorizedException(String user, String commandType, Set<String> requiredRoles) {
    super(
        "user "
            + user
            + " may not submit "
            + commandType
            + (requiredRoles.isEmpty()
                ? ": denied to everyone"
                : ": needs one of roles " + requiredRoles));
    this.user = user;
    this.commandType = commandType;
    this.requiredRoles = Set.copyOf(requiredRoles);
  }

  /** The principal's user name. */
  public String user() {
    return user;
  }

  /** The simple name of the refused command type. */
  public String commandType() {
    return commandType;
  }

  /** The roles any one of which would have allowed the command; empty for deny-all. */
  public Set<String> requiredRoles() {
    return requiredRoles;
  }
}
