package io.steadfast.api.session;

import io.steadfast.api.SteadfastException;
import java.util.Set;

/**
 * The principal may not do what it asked: it lacks every role the command type's
 * {@code @RolesAllowed} names, the type is {@code @DenyAll} or declares no rule at all
 * (authorization fails closed), or it asked for another user's session. Refused before anything was
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
    this(
        user,
        commandType,
        requiredRoles,
        "user "
            + user
            + " may not submit "
            + commandType
            + (requiredRoles.isEmpty()
                ? ": denied to everyone"
                : ": needs one of roles " + new java.util.TreeSet<>(requiredRoles)));
  }

  /**
   * @param user the principal's user name
   * @param what the simple name of the refused command type, or what else was refused
   * @param requiredRoles the roles any one of which would have allowed it; may be empty
   * @param message the whole explanation
   */
  public NotAuthorizedException(
      String user, String what, Set<String> requiredRoles, String message) {
    super(message);
    this.user = user;
    this.commandType = what;
    this.requiredRoles = Set.copyOf(requiredRoles);
  }

  /** The principal's user name. */
  public String user() {
    return user;
  }

  /** The simple name of the refused command type, or what else was refused. */
  public String commandType() {
    return commandType;
  }

  /** The roles any one of which would have allowed the command; empty for deny-all. */
  public Set<String> requiredRoles() {
    return requiredRoles;
  }
}
